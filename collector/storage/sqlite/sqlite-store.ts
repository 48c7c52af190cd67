import type Database from 'better-sqlite3';
import { ENDUSER, ML } from '../../../shared/attribute-keys.js';
import type { SpanRecord } from '../../../shared/span-record.js';
import { attributeText, subjectIdsOf } from '../span-match.js';
import type { SpanStore } from '../span-store.js';
import { StorageError, toStorageError } from '../storage-errors.js';
import { createWriteQueue } from '../write-queue.js';
import type { WriteQueueOptions, WriteQueueStats } from '../write-queue.js';
import { Dictionaries } from './dictionaries.js';
import { createEraser } from './erase.js';
import { createStoredRows, type StoredRows } from './stored-rows.js';
import { KeyIndex } from './key-index/key-index.js';
import { identityKind } from './span-identity.js';
import type { IndexedSpan, KeyIndexOptions } from './key-index/key-index.js';
import { textKey } from './key-index/keys.js';
import type { Migration } from './migrations.js';
import { createModelSpanScan } from './model-span-scan.js';
import { NameTables } from './name-tables.js';
import { isMemoryPath, openDatabase } from './open.js';
import type { OpenDatabaseOptions } from './open.js';
import { SpanRowReader } from './reader.js';
import { Retention, usedBytes } from './retention.js';
import type { RetentionOptions, RetentionReport } from './retention.js';
import { blobToHex, decodeBody } from './row-codec.js';
import { withSpanTables } from './schema-v1.js';
import { createTraceSearch } from './search.js';
import type { SearchOptions } from './search.js';
import { prepareStatements } from './statements.js';
import type { Statements } from './statements.js';
import { createBatchCommitter } from './writer.js';

/** The collector's SpanStore on SQLite: open, wire the parts together, and close cleanly. */

export interface SqliteStoreOptions extends OpenDatabaseOptions {
  retention?: RetentionOptions;
  queue?: Omit<WriteQueueOptions, 'commit' | 'mapError'>;
  search?: SearchOptions;
  keyIndex?: Omit<KeyIndexOptions, 'onError'>;
  /**
   * Other areas' schema steps (their tables in the same file), numbered from 2: storage runs its
   * span tables as step 1 first. Default: none.
   */
  schemaSteps?: readonly Migration[];
  /** Told about failures of background work (retention, key-index runs); the store carries on. */
  onBackgroundError?: (error: StorageError) => void;
  /** Milliseconds since the epoch (tests move time). */
  now?: () => number;
}

export type SqliteStore = SpanStore & {
  /** The open connection, for other areas' tables (same file, same WAL, same transactions). */
  readonly db: Database.Database;
  /** The database file as opened (absolute), or ':memory:'. */
  readonly path: string;
  queueStats(): WriteQueueStats;
  /** Runs one retention pass now (the background timer runs them anyway when limits are set). */
  runRetention(): Promise<RetentionReport>;
  /** Bytes of the pages in use (the size that retention by size keeps under its limit). */
  usedBytes(): number;
  /** Deletes every span of these traces and their index entries; resolves to the spans deleted. */
  eraseTraces(traceIds: readonly string[]): Promise<number>;
  /** Spans by row, for the data subject's rights (synchronous: callers hold one transaction). */
  readonly rows: StoredRows;
};

export function openSqliteStore(options: SqliteStoreOptions): SqliteStore {
  const db = openDatabase(options, withSpanTables(options.schemaSteps ?? []));
  const path = isMemoryPath(options.path) ? ':memory:' : db.name;
  const background =
    (doing: string) =>
    (e: unknown): void =>
      options.onBackgroundError?.(toStorageError(e, path, doing));
  let st: Statements;
  let keys: KeyIndex;
  try {
    st = prepareStatements(db);
    keys = new KeyIndex(db, (row) => identityOf(st, row), { ...options.keyIndex, onError: background('index') });
    keys.open((after) => spansAfter(st, after));
  } catch (error) {
    db.close();
    throw toStorageError(error, path, 'load the key index of');
  }
  const dict = new Dictionaries(st);
  const names = new NameTables(st, () => dict.generation);
  const rows = new SpanRowReader(st, names, keys);
  const scanModelSpans = createModelSpanScan(db);
  const search = createTraceSearch(db, names, (traceId) => rows.getTrace(traceId), options.search);
  const commit = createBatchCommitter(db, st, dict, keys, options.now);
  const erase = createEraser(db, st, keys);
  const storedRows = createStoredRows(db, st, rows, keys);
  const closedError = (): StorageError =>
    new StorageError('db_closed', path, `the span database ${path} is closed (the collector is shutting down)`);
  const queue = createWriteQueue(
    { ...options.queue, commit, mapError: (e) => toStorageError(e, path, 'write spans to') },
    closedError,
  );
  const retention = new Retention(
    db,
    st,
    dict,
    keys,
    options.retention ?? {},
    options.now,
    background('apply retention to'),
  );
  retention.start();
  let closed = false;

  /** Runs a synchronous read, turning failures into StorageErrors. */
  const read = async <T>(what: () => T): Promise<T> => {
    if (closed) throw closedError();
    try {
      return what();
    } catch (error) {
      throw toStorageError(error, path, 'read');
    }
  };

  return {
    db,
    path,
    rows: storedRows,
    writeSpans: (spans: readonly SpanRecord[]) => queue.enqueue(spans),
    getTrace: (traceId) => read(() => rows.getTrace(traceId)),
    findTraceIdsByRequestId: (id) => read(() => rows.traceIdsWith(ML.requestId, id)),
    findTraceIdsBySubject: (id) => read(() => rows.traceIdsWith(ENDUSER.pseudoId, id)),
    findTraces: (query) => read(() => search(query)),
    getServices: () => read(() => rows.services()),
    getOperations: (service) => read(() => rows.operations(service)),
    scanModelSpans: (query, limit, visit) => read(() => scanModelSpans(query, limit, visit)),
    queueStats: () => queue.stats(),
    runRetention: async () => {
      if (closed) throw closedError();
      try {
        return await retention.runPass();
      } catch (error) {
        throw toStorageError(error, path, 'apply retention to');
      }
    },
    usedBytes: () => usedBytes(st),
    eraseTraces: async (traceIds) => {
      if (closed) throw closedError();
      try {
        return erase(traceIds);
      } catch (error) {
        throw toStorageError(error, path, 'erase traces from');
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await retention.stop();
      queue.close();
      try {
        await keys.flushAll(); // so the next start need not rebuild the memtable
      } catch (error) {
        background('index')(error);
      }
      db.close();
    },
  };
}

function identityOf(st: Statements, row: number): { traceId: string; spanId: string; kind: number } | undefined {
  const r = st.identityById.get(row) as
    { trace_id: Uint8Array; span_id: Uint8Array; kind: number; untimed: number } | undefined;
  return r === undefined
    ? undefined
    : { traceId: blobToHex(r.trace_id), spanId: blobToHex(r.span_id), kind: identityKind(r.kind, r.untimed === 1) };
}

/** The spans stored after `row`, as the key index needs them (to rebuild its memtable). */
function* spansAfter(st: Statements, row: number): Generator<IndexedSpan> {
  const rows = st.spansAfter.all(row) as {
    id: number;
    trace_id: Uint8Array;
    span_id: Uint8Array;
    kind: number;
    untimed: number;
    body: string;
  }[];
  for (const r of rows) {
    const attributes = decodeBody(r.body, 0n).attributes;
    const requestId = attributeText(attributes[ML.requestId]);
    yield {
      row: r.id,
      traceId: blobToHex(r.trace_id),
      spanId: blobToHex(r.span_id),
      kind: identityKind(r.kind, r.untimed === 1),
      requestKey: requestId === undefined ? undefined : textKey(requestId),
      subjectKeys: subjectIdsOf(attributes[ENDUSER.pseudoId]).map(textKey),
    };
  }
}

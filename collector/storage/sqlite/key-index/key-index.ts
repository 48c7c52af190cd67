import type Database from 'better-sqlite3';
import { bloomHashes } from './bloom.js';
import { KEY_KIND, traceKey } from './keys.js';
import type { KeyKind } from './keys.js';
import { LookupRuns } from './lookup-runs.js';
import { Memtable } from './memtable.js';
import type { RecentSpan } from './memtable.js';

/**
 * The key index: trace id, request id and subject id → span rows, and "is this span already
 * stored?" — without an index on a random key anywhere on the write path. Recent keys live in a
 * memtable; every `runSpans` spans the memtable is sealed and written out as a sorted run in the
 * background (small transactions), while a fresh memtable takes new spans. After a crash the
 * memtable is rebuilt from the spans written since the last run.
 */
export interface KeyIndexOptions {
  /** Spans per run (and so at most about twice this many spans' keys held in memory). */
  runSpans?: number;
  onError?: (error: unknown) => void;
}

/** What the index needs to know of a stored span. */
export interface IndexedSpan {
  row: number;
  traceId: string;
  spanId: string;
  kind: number;
  requestKey: number | undefined;
  /** One per distinct subject id of the span. */
  subjectKeys: readonly number[];
}

export class KeyIndex {
  private active = new Memtable();
  private sealed: Memtable | undefined;
  private flushing: Promise<void> | undefined;
  private readonly runs: LookupRuns;
  private readonly runSpans: number;
  /** Rows erased while a run was being written, so the run leaves them out. */
  private readonly erasedDuringFlush = new Set<number>();
  /** Rows below this were deleted by retention: a memtable entry for them proves nothing. */
  minLiveRow = 0;

  constructor(
    db: Database.Database,
    /** The identity of the span in a row, or undefined when the row is gone. */
    private readonly identityOf: (row: number) => { traceId: string; spanId: string; kind: number } | undefined,
    private readonly options: KeyIndexOptions = {},
  ) {
    this.runs = new LookupRuns(db);
    this.runSpans = options.runSpans ?? 131_072;
  }

  /** Loads the runs; feeds the memtable with the spans stored after the last run (see `rebuild`). */
  open(spansAfter: (row: number) => Iterable<IndexedSpan>): void {
    this.runs.recover();
    for (const s of spansAfter(this.runs.flushedUpTo())) {
      this.add({ row: s.row, traceId: s.traceId, spanId: s.spanId, kind: s.kind }, s.requestKey, s.subjectKeys);
    }
  }

  // --- inside a write transaction -------------------------------------------------------------

  begin(): void {
    this.active.begin();
  }

  isStored(traceId: string, spanId: string, kind: number): boolean {
    const key = traceKey(traceId);
    for (const m of [this.active, this.sealed]) {
      if (m?.hasSpan(key, traceId, spanId, kind, this.minLiveRow) === true) return true;
    }
    const hashes = this.runs.live.length > 0 ? bloomHashes(key) : undefined;
    for (const run of this.runs.live) {
      if (hashes === undefined || !run.bloom.mayContainHashed(hashes)) continue;
      for (const row of this.runs.probeRun(run.run, KEY_KIND.trace, key)) {
        const id = this.identityOf(row);
        if (id !== undefined && id.spanId === spanId && id.kind === kind && id.traceId === traceId) return true;
      }
    }
    return false;
  }

  add(span: RecentSpan, requestKey: number | undefined, subjectKeys: readonly number[]): void {
    this.active.addSpan(traceKey(span.traceId), span, requestKey, subjectKeys);
  }

  commit(): void {
    this.active.commit();
    if (this.active.spans >= this.runSpans) this.startFlush();
    else if (this.sealed !== undefined && this.flushing === undefined) this.startFlush();
  }

  rollback(): void {
    this.active.rollback();
  }

  // --- reads ----------------------------------------------------------------------------------

  /** Candidate rows for a key (callers check the row really carries the value: keys can collide). */
  rows(kind: KeyKind, key: number): number[] {
    const found = new Set<number>(this.runs.probe(kind, key));
    for (const m of [this.sealed, this.active]) for (const row of m?.rows(kind, key) ?? []) found.add(row);
    return [...found].filter((r) => r >= this.minLiveRow).sort((a, b) => a - b);
  }

  runCount(): number {
    return this.runs.live.length;
  }

  /** Forgets a span's keys everywhere (the span was erased): memtables, runs, a run being written. */
  forget(row: number, entries: readonly { kind: KeyKind; key: number }[]): void {
    for (const { kind, key } of entries) {
      this.active.forgetRow(kind, key, row);
      this.sealed?.forgetRow(kind, key, row);
      this.runs.deleteEntry(kind, key, row);
    }
    if (this.flushing !== undefined) this.erasedDuringFlush.add(row);
  }

  // --- maintenance ----------------------------------------------------------------------------

  /** Writes every memtable out (at close), synchronously. */
  async flushAll(): Promise<void> {
    await this.flushing;
    if (this.sealed !== undefined) await this.writeSealed(false);
    if (this.active.spans > 0) {
      this.seal();
      await this.writeSealed(false);
    }
  }

  /** Retention deleted every span below `minLiveRow`: drop the runs that only pointed there. */
  async dropBelow(minLiveRow: number, step: (work: () => number) => Promise<number>): Promise<number> {
    this.minLiveRow = minLiveRow;
    return this.runs.dropBelow(minLiveRow, step);
  }

  private seal(): void {
    this.sealed = this.active;
    this.active = new Memtable();
  }

  private startFlush(): void {
    if (this.flushing !== undefined) return;
    if (this.sealed === undefined) this.seal();
    this.flushing = this.writeSealed(true)
      .catch((error: unknown) => this.options.onError?.(error))
      .finally(() => {
        this.flushing = undefined;
      });
  }

  private async writeSealed(yieldBetween: boolean): Promise<void> {
    const m = this.sealed;
    if (m === undefined) return;
    await this.runs.writeRun(
      m.sortedTriples(),
      { first: m.firstRow, last: m.lastRow },
      { keys: m.traces.keys(), count: m.traces.size },
      yieldBetween,
      this.erasedDuringFlush,
    );
    this.erasedDuringFlush.clear();
    if (this.sealed === m) this.sealed = undefined;
  }
}

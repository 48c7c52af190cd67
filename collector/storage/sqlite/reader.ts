import { STATUS_CODES, SPAN_KINDS } from '../../../shared/span-record.js';
import type { SpanRecord } from '../../../shared/span-record.js';
import { isValidTraceId } from '../../../shared/ids.js';
import { compareHits, compareOperations } from '../ordering.js';
import { attributeText } from '../span-match.js';
import type { Operation } from '../span-store.js';
import type { NameTables } from './name-tables.js';
import { blobToHex, decodeBody, hexToBlob, keyHash } from './row-codec.js';
import type { Statements } from './statements.js';

/** Point reads: a trace by id or sequence number, trace ids by request id or subject, names. */

interface SpanRow {
  span_id: Uint8Array;
  kind: bigint;
  parent_id: Uint8Array | null;
  service: bigint;
  op: bigint;
  source: bigint;
  start_ns: bigint;
  duration_ns: bigint;
  status: bigint;
  body: string;
}

interface KeyRow {
  trace: bigint;
  start_ns: bigint;
  body: string;
}

export class SpanRowReader {
  constructor(
    private readonly st: Statements,
    private readonly names: NameTables,
  ) {}

  /** Every span of the trace with this sequence number, as fresh objects. */
  traceBySeq(seq: number, traceId?: string): SpanRecord[] {
    const id = traceId ?? blobToHex(this.st.traceId.get(seq) as Uint8Array);
    return (this.st.spansOfTrace.all(seq) as SpanRow[]).map((row) => this.toSpan(id, row));
  }

  getTrace(traceId: string): SpanRecord[] {
    if (!isValidTraceId(traceId)) return [];
    const seq = this.st.traceSeq.get(hexToBlob(traceId)) as number | undefined;
    return seq === undefined ? [] : this.traceBySeq(seq, traceId);
  }

  /** Trace ids whose spans carry `key` = value, most recent first (hash lookup, then exact compare). */
  traceIdsWith(key: string, value: string): string[] {
    const stmt = key === 'enduser.pseudo.id' ? this.st.bySubjectKey : this.st.byRequestKey;
    const latest = new Map<number, bigint>();
    for (const row of stmt.all(keyHash(value)) as KeyRow[]) {
      const attributes = decodeBody(row.body, row.start_ns).attributes;
      if (attributeText(attributes[key]) !== value) continue; // a hash collision
      const seq = Number(row.trace);
      const seen = latest.get(seq);
      if (seen === undefined || row.start_ns > seen) latest.set(seq, row.start_ns);
    }
    const hits = [...latest].map(([seq, start]) => ({ traceId: blobToHex(this.st.traceId.get(seq) as Uint8Array), start }));
    return hits.sort(compareHits).map((h) => h.traceId);
  }

  services(): string[] {
    this.names.reload();
    return [...new Set(this.names.services.values())].sort();
  }

  operations(service: string): Operation[] {
    const rows = this.st.opsOfService.all(service) as { name: string; kind: number }[];
    return rows.map((r) => ({ name: r.name, kind: SPAN_KINDS[r.kind] ?? 'UNSPECIFIED' })).sort(compareOperations);
  }

  private toSpan(traceId: string, row: SpanRow): SpanRecord {
    const body = decodeBody(row.body, row.start_ns);
    const op = this.names.op(Number(row.op));
    const source = this.names.source(Number(row.source));
    return {
      traceId,
      spanId: blobToHex(row.span_id),
      parentSpanId: row.parent_id === null ? '' : blobToHex(row.parent_id),
      traceState: body.traceState,
      name: op?.name ?? '',
      kind: SPAN_KINDS[Number(row.kind)] ?? 'UNSPECIFIED',
      startTimeUnixNano: row.start_ns,
      endTimeUnixNano: row.start_ns + row.duration_ns,
      attributes: body.attributes,
      events: body.events,
      links: body.links,
      status: { code: STATUS_CODES[Number(row.status)] ?? 'UNSET', message: body.statusMessage },
      flags: body.flags,
      serviceName: this.names.service(Number(row.service)),
      resource: source === undefined ? {} : structuredClone(source.resource),
      scope: source === undefined ? { name: '', version: '' } : { ...source.scope },
    };
  }
}

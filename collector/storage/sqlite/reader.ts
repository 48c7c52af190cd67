import { ENDUSER } from '../../../shared/attribute-keys.js';
import { isValidTraceId } from '../../../shared/ids.js';
import { STATUS_CODES, SPAN_KINDS } from '../../../shared/span-record.js';
import type { SpanRecord } from '../../../shared/span-record.js';
import { compareHits, compareOperations } from '../ordering.js';
import { attributeText, subjectIdsOf } from '../span-match.js';
import type { Operation } from '../span-store.js';
import type { KeyIndex } from './key-index/key-index.js';
import { KEY_KIND, textKey, traceKey } from './key-index/keys.js';
import type { NameTables } from './name-tables.js';
import { blobToHex, decodeBody } from './row-codec.js';
import type { Statements } from './statements.js';

/**
 * Point reads through the key index: a trace by id, trace ids by request id or subject; and the
 * service and operation lists. Keys are 48-bit and may collide, so every row found is checked
 * against the real value before it is returned.
 */
export interface SpanRow {
  id: bigint;
  trace_id: Uint8Array;
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
  trace_id: Uint8Array;
  start_ns: bigint;
  body: string;
}

export class SpanRowReader {
  constructor(
    private readonly st: Statements,
    private readonly names: NameTables,
    private readonly keys: KeyIndex,
  ) {}

  /** Every stored span of the trace, as fresh objects; [] when unknown. */
  getTrace(traceId: string): SpanRecord[] {
    return this.traceRows(traceId).map((s) => s.span);
  }

  /** As getTrace, with each span's row. */
  traceRows(traceId: string): { row: number; span: SpanRecord }[] {
    if (!isValidTraceId(traceId)) return [];
    const spans: { row: number; span: SpanRecord }[] = [];
    for (const id of this.keys.rows(KEY_KIND.trace, traceKey(traceId))) {
      const row = this.st.spanById.get(id) as SpanRow | undefined;
      if (row !== undefined && blobToHex(row.trace_id) === traceId)
        spans.push({ row: id, span: this.toSpan(traceId, row) });
    }
    return spans;
  }

  /** The span a row holds. */
  spanOf(row: SpanRow): SpanRecord {
    return this.toSpan(blobToHex(row.trace_id), row);
  }

  /** Trace ids whose spans carry `attribute` = value, most recent first. */
  traceIdsWith(attribute: string, value: string): string[] {
    const kind = attribute === ENDUSER.pseudoId ? KEY_KIND.subject : KEY_KIND.request;
    const latest = new Map<string, bigint>();
    for (const id of this.keys.rows(kind, textKey(value))) {
      const row = this.st.keyRowById.get(id) as KeyRow | undefined;
      if (row === undefined) continue;
      const stored = decodeBody(row.body, row.start_ns).attributes[attribute];
      const carries =
        kind === KEY_KIND.subject ? subjectIdsOf(stored).includes(value) : attributeText(stored) === value;
      if (!carries) continue; // a collision
      const traceId = blobToHex(row.trace_id);
      const seen = latest.get(traceId);
      if (seen === undefined || row.start_ns > seen) latest.set(traceId, row.start_ns);
    }
    return [...latest]
      .map(([traceId, start]) => ({ traceId, start }))
      .sort(compareHits)
      .map((h) => h.traceId);
  }

  services(): string[] {
    this.names.refresh();
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

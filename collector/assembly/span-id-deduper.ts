import { createHash } from 'node:crypto';
import type { Adjuster, WorkingSpan, WorkingTrace } from './working-trace.js';
import { warn } from './working-trace.js';

/**
 * Separates spans that share a span id, in the manner of Jaeger's span-id deduper.
 *
 * Zipkin's shared spans give the client and the server side of one RPC the same id (the store keeps
 * both, keyed on (traceId, spanId, kind)). The SERVER side gets a new id derived from the old one
 * and the CLIENT side becomes its parent; the server's own children, which name the shared id as
 * their parent, move under the server. That is how the RPC really nested, so it is not a warning;
 * the server keeps its stored id in `originalSpanId`.
 *
 * Any other sharing (e.g. two spans of different kinds but no client/server pair) is a defect of
 * the sender: the earliest span keeps the id, the others get derived ids and a warning.
 */
export const spanIdDeduper: Adjuster = {
  name: 'span-id-deduper',
  adjust(trace: WorkingTrace): WorkingTrace {
    const groups = new Map<string, number[]>();
    trace.spans.forEach((s, i) => {
      const group = groups.get(s.spanId);
      if (group === undefined) groups.set(s.spanId, [i]);
      else group.push(i);
    });
    if (groups.size === trace.spans.length) return trace;

    const spans = [...trace.spans];
    const warnings = [...trace.warnings];
    const taken = new Set(groups.keys());
    // Old shared id → the server's new id, with the client's service to tell whose children are whose.
    const moved = new Map<
      string,
      { newId: string; serverIndex: number; clientService: string; serverService: string }
    >();

    for (const [id, members] of groups) {
      if (members.length < 2) continue;
      const ordered = [...members].sort((a, b) => compareStart(spans[a] as WorkingSpan, spans[b] as WorkingSpan));
      const client = ordered.find((i) => spans[i]?.kind === 'CLIENT');
      const server = ordered.find((i) => spans[i]?.kind === 'SERVER');
      let keeper = ordered[0] as number;
      if (client !== undefined && server !== undefined) {
        const newId = deriveSpanId(trace.traceId, id, taken);
        const c = spans[client] as WorkingSpan;
        const s = spans[server] as WorkingSpan;
        spans[server] = { ...s, spanId: newId, parentSpanId: id, originalSpanId: id };
        moved.set(id, { newId, serverIndex: server, clientService: c.serviceName, serverService: s.serviceName });
        keeper = client;
      }
      for (const i of ordered) {
        if (i === keeper || (client !== undefined && i === server && moved.has(id))) continue;
        const s = spans[i] as WorkingSpan;
        const newId = deriveSpanId(trace.traceId, id, taken);
        const renamed: WorkingSpan = { ...s, spanId: newId, originalSpanId: id };
        spans[i] = warn(
          warnings,
          renamed,
          `another ${(spans[keeper] as WorkingSpan).kind} span of this trace was stored with the same id ${id}; shown with the derived id ${newId}`,
        );
      }
    }

    // Children of a shared id belong to the server side, unless they come from the client's service.
    for (let i = 0; i < spans.length; i++) {
      const s = spans[i] as WorkingSpan;
      const m = moved.get(s.parentSpanId);
      if (m === undefined || i === m.serverIndex) continue;
      const fromClientSide = s.serviceName === m.clientService && s.serviceName !== m.serverService;
      if (!fromClientSide) spans[i] = { ...s, parentSpanId: m.newId };
    }
    return { ...trace, spans, warnings };
  },
};

function compareStart(a: WorkingSpan, b: WorkingSpan): number {
  return a.startTimeUnixNano < b.startTimeUnixNano ? -1 : a.startTimeUnixNano > b.startTimeUnixNano ? 1 : 0;
}

/**
 * A new span id derived from the trace id and the shared id (stable, so the same trace always
 * shows the same ids), different from every id in the trace and never all zeros.
 */
export function deriveSpanId(traceId: string, spanId: string, taken: Set<string>): string {
  for (let n = 0; ; n++) {
    const id = createHash('sha256').update(`${traceId}/${spanId}/${n}`).digest('hex').slice(0, 16);
    if (!taken.has(id) && id !== '0000000000000000') {
      taken.add(id);
      return id;
    }
  }
}

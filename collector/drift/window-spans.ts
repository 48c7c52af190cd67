import { ML } from '../../shared/attribute-keys.js';
import type { SpanReader } from '../storage/span-store.js';
import { modelOf, type CapturedSpan } from './captured-span.js';

/**
 * Reads the stored SERVER spans of one model in a time window, for what summaries cannot give:
 * window edges finer than a bucket, slices, and exemplar requests. A narrow, read-only scan that
 * stops early: `visit` returns false once it has what it needs, and at most `limit` spans are read.
 */
export interface WindowSpanQuery {
  model: string;
  /** undefined: every version. */
  version?: string;
  /** [startNano, endNano): start inclusive, end exclusive, by span start time. */
  startNano: bigint;
  endNano: bigint;
}

export interface ScanResult {
  visited: number;
  /** False when the scan stopped at `limit` (or because visit asked) with spans left unread. */
  complete: boolean;
}

export interface WindowSpanSource {
  /** Visits matching spans, newest first per model version. */
  scan(query: WindowSpanQuery, limit: number, visit: (span: CapturedSpan) => boolean | void): Promise<ScanResult>;
}

/**
 * The scan over any SpanReader (the memory store in tests): finds the traces through the reader's
 * search (by `ml.model.name`, and by service name for spans without one), then keeps their SERVER
 * spans of the model in the window. Fine for small stores; the SQLite store has its own index scan.
 */
export function readerWindowSpans(reader: SpanReader): WindowSpanSource {
  return {
    async scan(q, limit, visit) {
      const base = { startNano: q.startNano, endNano: q.endNano - 1n, limit: limit + 1 };
      const traceIds = new Set<string>();
      for (const found of [
        await reader.findTraces({ ...base, model: q.model, ...(q.version !== undefined ? { version: q.version } : {}) }),
        await reader.findTraces({ ...base, service: q.model }),
      ]) for (const t of found) traceIds.add(t.traceId);
      const spans: CapturedSpan[] = [];
      for (const traceId of traceIds) {
        for (const s of await reader.getTrace(traceId)) {
          if (s.kind !== 'SERVER' || s.startTimeUnixNano < q.startNano || s.startTimeUnixNano >= q.endNano) continue;
          if (s.attributes[ML.modelName] === undefined && s.serviceName !== q.model) continue;
          const m = modelOf(s);
          if (m.model !== q.model || (q.version !== undefined && m.version !== q.version)) continue;
          spans.push({ traceId, startNano: s.startTimeUnixNano, serviceName: s.serviceName, attributes: s.attributes, resource: s.resource });
        }
      }
      spans.sort((a, b) => (a.startNano > b.startNano ? -1 : a.startNano < b.startNano ? 1 : 0));
      let visited = 0;
      for (const span of spans) {
        if (visited >= limit) return { visited, complete: false };
        visited += 1;
        if (visit(span) === false) return { visited, complete: visited === spans.length };
      }
      return { visited, complete: true };
    },
  };
}

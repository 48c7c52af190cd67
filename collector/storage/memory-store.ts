import { ENDUSER, ML } from '../../shared/attribute-keys.js';
import type { SpanRecord } from '../../shared/span-record.js';
import { isUntimed } from '../../shared/span-record.js';
import { attributeText, spanMatches } from './span-match.js';
import type { Operation, SpanStore, TraceQuery, TraceSummary } from './span-store.js';
import { StoreFullError } from './span-store.js';
import { compareHits, compareOperations, compareSummaries } from './ordering.js';
import type { TraceHit } from './ordering.js';
import { summarizeTrace, summaryMatchesError } from './trace-summary.js';

/**
 * An in-memory SpanStore: for tests and for `:memory:`-style experiments where SQLite is not wanted.
 * It keeps copies (what a caller changes after writing or after reading never reaches the store)
 * and honours the same contract as the SQLite store, checked by the shared contract suite.
 */
export interface MemoryStoreOptions {
  /** Refuse writes that would hold more spans than this with StoreFullError (default: unbounded). */
  maxSpans?: number;
  /** The retryAfterSeconds of that StoreFullError (default 1). */
  retryAfterSeconds?: number;
}

export type MemoryStore = SpanStore & {
  /** Number of distinct spans held. */
  size(): number;
  /** Deletes every span of these traces; resolves to the spans deleted (as the SQLite store). */
  eraseTraces(traceIds: readonly string[]): Promise<number>;
};

/** As the SQLite store: an untimed span (the late half of a Zipkin span) is not a retry of the timed one. */
const spanKey = (s: SpanRecord): string => `${s.traceId}/${s.spanId}/${s.kind}/${isUntimed(s) ? 'untimed' : 'timed'}`;

export function createMemoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const maxSpans = options.maxSpans ?? Infinity;
  const retryAfterSeconds = options.retryAfterSeconds ?? 1;
  const traces = new Map<string, Map<string, SpanRecord>>();
  let count = 0;
  let closed = false;

  const checkOpen = (): void => {
    if (closed) throw new Error('the memory span store is closed');
  };

  const tracesWith = (key: string, value: string): string[] => {
    const hits: TraceHit[] = [];
    for (const [traceId, spans] of traces) {
      let latest: bigint | undefined;
      for (const s of spans.values()) {
        if (attributeText(s.attributes[key]) !== value) continue;
        if (latest === undefined || s.startTimeUnixNano > latest) latest = s.startTimeUnixNano;
      }
      if (latest !== undefined) hits.push({ traceId, start: latest });
    }
    hits.sort(compareHits);
    return hits.map((h) => h.traceId);
  };

  return {
    async writeSpans(spans: readonly SpanRecord[]): Promise<void> {
      checkOpen();
      const fresh = new Map<string, SpanRecord>();
      for (const s of spans) {
        const key = spanKey(s);
        if (!traces.get(s.traceId)?.has(key) && !fresh.has(key)) fresh.set(key, s);
      }
      if (count + fresh.size > maxSpans) throw new StoreFullError(retryAfterSeconds);
      for (const [key, s] of fresh) {
        let trace = traces.get(s.traceId);
        if (trace === undefined) {
          trace = new Map();
          traces.set(s.traceId, trace);
        }
        trace.set(key, structuredClone(s));
      }
      count += fresh.size;
    },

    async getTrace(traceId: string): Promise<SpanRecord[]> {
      checkOpen();
      const trace = traces.get(traceId);
      return trace === undefined ? [] : [...trace.values()].map((s) => structuredClone(s));
    },

    async findTraceIdsByRequestId(requestId: string): Promise<string[]> {
      checkOpen();
      return tracesWith(ML.requestId, requestId);
    },

    async findTraceIdsBySubject(pseudoId: string): Promise<string[]> {
      checkOpen();
      return tracesWith(ENDUSER.pseudoId, pseudoId);
    },

    async findTraces(query: TraceQuery): Promise<TraceSummary[]> {
      checkOpen();
      const found: { summary: TraceSummary; latestMatch: bigint }[] = [];
      for (const spans of traces.values()) {
        const list = [...spans.values()];
        let latestMatch: bigint | undefined;
        for (const s of list) {
          if (spanMatches(s, query) && (latestMatch === undefined || s.startTimeUnixNano > latestMatch)) {
            latestMatch = s.startTimeUnixNano;
          }
        }
        if (latestMatch === undefined) continue;
        const summary = summarizeTrace(list);
        if (summary !== undefined && summaryMatchesError(summary, query.error)) found.push({ summary, latestMatch });
      }
      found.sort((a, b) => compareHits({ traceId: a.summary.traceId, start: a.latestMatch }, { traceId: b.summary.traceId, start: b.latestMatch }));
      return found.slice(0, Math.max(0, query.limit)).map((f) => f.summary).sort(compareSummaries);
    },

    async getServices(): Promise<string[]> {
      checkOpen();
      const names = new Set<string>();
      for (const spans of traces.values()) for (const s of spans.values()) names.add(s.serviceName);
      return [...names].sort();
    },

    async getOperations(service: string): Promise<Operation[]> {
      checkOpen();
      const ops = new Map<string, Operation>();
      for (const spans of traces.values()) {
        for (const s of spans.values()) {
          if (s.serviceName === service) ops.set(`${s.name}\u0000${s.kind}`, { name: s.name, kind: s.kind });
        }
      }
      return [...ops.values()].sort(compareOperations);
    },

    size: () => count,

    async eraseTraces(traceIds: readonly string[]): Promise<number> {
      checkOpen();
      let deleted = 0;
      for (const id of new Set(traceIds)) {
        deleted += traces.get(id)?.size ?? 0;
        traces.delete(id);
      }
      count -= deleted;
      return deleted;
    },

    async close(): Promise<void> {
      closed = true;
      traces.clear();
      count = 0;
    },
  };
}

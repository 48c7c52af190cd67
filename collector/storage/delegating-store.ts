import type { SpanRecord } from '../../shared/span-record.js';
import type {
  ModelSpan,
  ModelSpanQuery,
  Operation,
  ScanResult,
  SpanStore,
  TraceQuery,
  TraceSummary,
} from './span-store.js';

/**
 * A SpanStore that hands every call to another, looked up at call time. Wrappers extend it and
 * override only what they change (withSpanListeners: writes; the collector: a database opened
 * later), so a new SpanStore method is forwarded here, once.
 */
export class DelegatingSpanStore implements SpanStore {
  constructor(private readonly target: () => SpanStore) {}

  async writeSpans(spans: readonly SpanRecord[]): Promise<void> {
    return this.target().writeSpans(spans);
  }
  async getTrace(traceId: string): Promise<SpanRecord[]> {
    return this.target().getTrace(traceId);
  }
  async findTraceIdsByRequestId(requestId: string): Promise<string[]> {
    return this.target().findTraceIdsByRequestId(requestId);
  }
  async findTraceIdsBySubject(pseudoId: string): Promise<string[]> {
    return this.target().findTraceIdsBySubject(pseudoId);
  }
  async findTraces(query: TraceQuery): Promise<TraceSummary[]> {
    return this.target().findTraces(query);
  }
  async getServices(): Promise<string[]> {
    return this.target().getServices();
  }
  async getOperations(service: string): Promise<Operation[]> {
    return this.target().getOperations(service);
  }
  async scanModelSpans(
    query: ModelSpanQuery,
    limit: number,
    visit: (span: ModelSpan) => boolean | void,
  ): Promise<ScanResult> {
    return this.target().scanModelSpans(query, limit, visit);
  }
  async close(): Promise<void> {
    return this.target().close();
  }
}

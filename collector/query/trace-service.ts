import { normaliseTraceId } from '../../shared/ids.js';
import type { SpanRecord } from '../../shared/span-record.js';
import { adjustTrace, assembleTrace } from '../assembly/assemble-trace.js';
import type { TraceTree } from '../assembly/build-tree.js';
import type { AssemblyOptions } from '../assembly/standard-adjusters.js';
import { standardAdjusters } from '../assembly/standard-adjusters.js';
import { foldUntimed } from '../assembly/untimed-merger.js';
import type { Adjuster, WorkingTrace } from '../assembly/working-trace.js';
import type { SpanReader, TraceQuery } from '../storage/span-store.js';

/**
 * The one way every read API (own, Jaeger, Zipkin) gets traces: fetched from the SpanReader, the
 * read-time adjusters run in their declared order (as Jaeger's query service does), and ids from a
 * URL opened as a trace id or, failing that, as a request id. The APIs only shape the answer.
 */

/** A trace opened from an id in a URL. */
export interface OpenedTrace {
  traceId: string;
  /** The stored spans, by start time. */
  spans: SpanRecord[];
  /** Set when the id was not a stored trace id but an `ml.request.id`. */
  byRequest?: RequestResolution;
}

export interface RequestResolution {
  requestId: string;
  /** How many traces carry the request id; the one opened is the most recent. */
  traceCount: number;
}

/** Spans by start time, then span id: a stable order for responses (the reader gives none). */
function byStart(spans: readonly SpanRecord[]): SpanRecord[] {
  return [...spans].sort((a, b) =>
    a.startTimeUnixNano !== b.startTimeUnixNano
      ? a.startTimeUnixNano < b.startTimeUnixNano
        ? -1
        : 1
      : a.spanId < b.spanId
        ? -1
        : a.spanId > b.spanId
          ? 1
          : 0,
  );
}

export class TraceService {
  private readonly adjusters: readonly Adjuster[];

  constructor(
    readonly reader: SpanReader,
    options: AssemblyOptions = {},
  ) {
    this.adjusters = standardAdjusters(options);
  }

  /** The stored spans of each id (in the ids' order), leaving out ids with no spans. */
  async load(traceIds: readonly string[]): Promise<SpanRecord[][]> {
    const traces = await Promise.all(traceIds.map((id) => this.reader.getTrace(id)));
    return traces.filter((t) => t.length > 0).map(byStart);
  }

  /** The traces matching a query, most recent first, each with all its spans. */
  async find(query: TraceQuery): Promise<SpanRecord[][]> {
    const summaries = await this.reader.findTraces(query);
    return this.load(summaries.map((s) => s.traceId));
  }

  /** Ids of the traces carrying the request id, most recent first. */
  traceIdsOfRequest(requestId: string): Promise<string[]> {
    return this.reader.findTraceIdsByRequestId(requestId);
  }

  /**
   * The trace an id from a URL names: the stored trace of that id when it is a trace id (16 or 32
   * hex digits) with spans; else the most recent trace whose spans carry it as `ml.request.id`.
   * Undefined when neither is stored.
   */
  async open(id: string): Promise<OpenedTrace | undefined> {
    const traceId = normaliseTraceId(id);
    if (traceId !== undefined) {
      const [spans] = await this.load([traceId]);
      if (spans !== undefined) return { traceId, spans };
    }
    const ids = await this.traceIdsOfRequest(id);
    for (const candidate of ids) {
      const [spans] = await this.load([candidate]); // retention may remove a trace between the two reads
      if (spans !== undefined)
        return { traceId: candidate, spans, byRequest: { requestId: id, traceCount: ids.length } };
    }
    return undefined;
  }

  /**
   * The stored spans with untimed late halves folded into their timed half (lone ones left as they
   * are): for formats whose readers adjust traces themselves (Zipkin), which must still see one span
   * per side of an RPC.
   */
  merged(spans: readonly SpanRecord[]): SpanRecord[] {
    const { timed, lone } = foldUntimed(spans);
    return byStart([...timed, ...lone]);
  }

  /** The trace after the read-time adjusters, with what they changed as warnings. */
  adjust(spans: readonly SpanRecord[]): WorkingTrace {
    return adjustTrace(spans[0]?.traceId ?? '', spans, this.adjusters);
  }

  /** The adjusted trace as a call tree. */
  assemble(spans: readonly SpanRecord[]): TraceTree {
    return assembleTrace(spans[0]?.traceId ?? '', spans, { adjusters: this.adjusters });
  }
}

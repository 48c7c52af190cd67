import type { Context } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, Span, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { chunkByWeight } from './export-chunks.js';

/**
 * Attribute values per export request (see export-chunks.ts): ~16 spans with captured features of
 * ~1,000 values each, about 0.6 ms of encoding; a batch of 128 plain spans (~20 each) stays one
 * request. Smaller chunks cut p99 little more but cost the collector more requests.
 */
const EXPORT_CHUNK_WEIGHT = 16_384;

/** What happened to the spans the sidecar finished (Prometheus counters on the admin port). */
export interface SpanStats {
  /** Accepted by the collector. */
  exported: number;
  /** Not queued because the queue was full (the collector is slow, failing or absent). */
  droppedQueueFull: number;
  /** Sent but refused or never answered; the exporter already retried. */
  droppedExportFailed: number;
  /** Waiting in the queue or being exported. */
  pending: number;
  maxPending: number;
}

/**
 * Wraps the batch processor and its exporter so the queue has a hard bound counted by us (the SDK's
 * processor drops silently and does not count spans that are being exported) and every span's fate
 * is counted. A finished span is never waited on: it is queued or dropped at once.
 */
export class CountingPipeline {
  readonly stats: SpanStats;

  constructor(maxPending: number) {
    this.stats = { exported: 0, droppedQueueFull: 0, droppedExportFailed: 0, pending: 0, maxPending };
  }

  /**
   * Counts what the exporter does with each span. A batch heavier than `maxWeight` (see
   * export-chunks.ts) goes out as several requests with the event loop free between them; the
   * first failed chunk fails the rest of the batch unsent, as one request would have.
   */
  wrapExporter(inner: SpanExporter, maxWeight = EXPORT_CHUNK_WEIGHT): SpanExporter {
    const stats = this.stats;
    const exportChunk = (spans: ReadableSpan[], done: (result: ExportResult) => void): void => {
      let settled = false;
      const settle = (result: ExportResult): void => {
        if (settled) return;
        settled = true;
        stats.pending = Math.max(0, stats.pending - spans.length);
        if (result.code === ExportResultCode.SUCCESS) stats.exported += spans.length;
        else stats.droppedExportFailed += spans.length;
        done(result);
      };
      try {
        inner.export(spans, settle);
      } catch (error) {
        settle({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) });
      }
    };
    return {
      export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
        const chunks = chunkByWeight(spans, maxWeight);
        if (chunks.length <= 1) return exportChunk(spans, done);
        let next = 0;
        const sendNext = (): void => exportChunk(chunks[next++] as ReadableSpan[], afterChunk);
        const afterChunk = (result: ExportResult): void => {
          if (result.code !== ExportResultCode.SUCCESS) {
            const unsent = chunks.slice(next).reduce((n, c) => n + c.length, 0);
            stats.pending = Math.max(0, stats.pending - unsent);
            stats.droppedExportFailed += unsent;
            done(result);
          } else if (next < chunks.length) setImmediate(sendNext);
          else done(result);
        };
        sendNext();
      },
      shutdown: () => inner.shutdown(),
      forceFlush: () => inner.forceFlush?.() ?? Promise.resolve(),
    };
  }

  wrapProcessor(inner: SpanProcessor): SpanProcessor {
    const stats = this.stats;
    return {
      onStart: (span: Span, ctx: Context) => inner.onStart(span, ctx),
      onEnd(span: ReadableSpan): void {
        if ((span.spanContext().traceFlags & 1) === 0) return; // not sampled: never exported
        if (stats.pending >= stats.maxPending) {
          stats.droppedQueueFull += 1;
          return;
        }
        stats.pending += 1;
        inner.onEnd(span);
      },
      forceFlush: () => inner.forceFlush(),
      shutdown: () => inner.shutdown(),
    };
  }
}

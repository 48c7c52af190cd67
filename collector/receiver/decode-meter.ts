import { IngestError } from './ingest-errors.js';
import type { BudgetLease } from './memory-budget.js';

/**
 * What one request may make the decoders build, counted as they build it, so the work a body causes
 * is bounded by these limits and not only by its bytes (30 MiB of `[{},{},…]` is ten million
 * objects). Both limits follow the body limit:
 * - values: JSON objects, arrays and their elements; protobuf key-values, array elements, events,
 *   links and spans — at most one per 16 bytes of the body limit (4,194,304 at 64 MiB);
 * - spans: at most one per 512 bytes of the body limit (131,072 at 64 MiB).
 * Past a limit the request is refused with 413 naming it. Each value and span is also charged to
 * the request's lease on the memory budget at an estimate of what it costs in the heap.
 */
export interface DecodeLimits {
  maxValues: number;
  maxSpans: number;
}

export const BYTES_PER_VALUE_LIMIT = 16;
export const BYTES_PER_SPAN_LIMIT = 512;

export function decodeLimitsFor(bodyLimitBytes: number): DecodeLimits {
  return {
    maxValues: Math.max(10_000, Math.floor(bodyLimitBytes / BYTES_PER_VALUE_LIMIT)),
    maxSpans: Math.max(1_000, Math.floor(bodyLimitBytes / BYTES_PER_SPAN_LIMIT)),
  };
}

/** Heap estimates (measured: JSON.parse of `[{},…]` costs ~34 bytes per object and comma). */
export const HEAP_BYTES_PER_VALUE = 48;
export const HEAP_BYTES_PER_SPAN = 768;
/** Values are charged to the lease in steps of this many, to keep the hot path cheap. */
const CHARGE_STEP = 4096;

export class DecodeMeter {
  private valueCount = 0;
  private spanCount = 0;
  private uncharged = 0;

  constructor(
    readonly limits: DecodeLimits,
    private readonly lease?: BudgetLease,
  ) {}

  get values(): number {
    return this.valueCount;
  }

  get spans(): number {
    return this.spanCount;
  }

  /** Counts `n` values about to be built; throws 413 too_many_values past the limit. */
  value(n = 1): void {
    this.valueCount += n;
    if (this.valueCount > this.limits.maxValues) {
      throw new IngestError(
        'too_many_values',
        `the body holds more than ${this.limits.maxValues} values (JSON objects, arrays and elements; protobuf attributes, array elements, events, links, spans), the limit of one per ${BYTES_PER_VALUE_LIMIT} bytes of the body limit: send smaller batches`,
      );
    }
    this.uncharged += n;
    if (this.uncharged >= CHARGE_STEP) this.flushCharge();
  }

  /** Counts a span about to be built; throws 413 too_many_spans past the limit. */
  span(): void {
    this.spanCount++;
    if (this.spanCount > this.limits.maxSpans) {
      throw new IngestError(
        'too_many_spans',
        `the body holds more than ${this.limits.maxSpans} spans, the limit of one per ${BYTES_PER_SPAN_LIMIT} bytes of the body limit: send smaller batches (the OpenTelemetry SDK's OTEL_BSP_MAX_EXPORT_BATCH_SIZE)`,
      );
    }
    this.lease?.charge(HEAP_BYTES_PER_SPAN, 'decoded spans');
    this.value();
  }

  /** Charges bytes that are not values (the text of a JSON body). */
  charge(bytes: number, what: string): void {
    this.lease?.charge(bytes, what);
  }

  private flushCharge(): void {
    const n = this.uncharged;
    this.uncharged = 0;
    this.lease?.charge(n * HEAP_BYTES_PER_VALUE, 'decoded values');
  }
}

/** A meter without limits, for decoding what the collector itself wrote. */
export function unlimitedMeter(): DecodeMeter {
  return new DecodeMeter({ maxValues: Number.POSITIVE_INFINITY, maxSpans: Number.POSITIVE_INFINITY });
}

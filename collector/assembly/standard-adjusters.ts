import { clockSkewAdjuster } from './clock-skew.js';
import { sortByStart } from './sort-by-start.js';
import { spanIdDeduper } from './span-id-deduper.js';
import { untimedMerger } from './untimed-merger.js';
import type { Adjuster } from './working-trace.js';

/**
 * The read-time adjusters, in the order they run (Jaeger's standard adjusters are a list like this):
 * 1. untimed-merger — fold Zipkin's timestamp-less late halves into their timed half, so each side
 *    of an RPC is one span again;
 * 2. span-id-deduper — separate Zipkin's shared client/server ids, so parent ids are right;
 * 3. clock-skew — then move spans timed on skewed hosts into their parents;
 * 4. sort-by-start — last, so siblings and events order by the corrected times.
 * The tree builder then turns parent ids into the call tree (orphans and loops become roots).
 */
export interface AssemblyOptions {
  /** Largest clock-skew correction applied, in nanoseconds (default 60 s; 0 disables it). */
  maxClockSkewNano?: bigint;
}

export const DEFAULT_MAX_CLOCK_SKEW_NANO = 60_000_000_000n;

export function standardAdjusters(options: AssemblyOptions = {}): readonly Adjuster[] {
  return [
    untimedMerger,
    spanIdDeduper,
    clockSkewAdjuster({ maxDeltaNano: options.maxClockSkewNano ?? DEFAULT_MAX_CLOCK_SKEW_NANO }),
    sortByStart,
  ];
}

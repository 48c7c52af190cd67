import type { Destination } from '../../forwarding/destination.js';
import type { ErasureOutcome } from './erase-subject.js';
import type { EraseMode } from './span-erasure.js';

/**
 * The receipt of an erasure: what was changed where, and — because copies already forwarded to
 * Jaeger or Zipkin cannot be taken back from here (GDPR Art. 19: tell each recipient) — each
 * forwarding destination, how many of the subject's spans were taken out of its outbox before
 * delivery, and when the others were stored (forwarding sends a span shortly after it is stored;
 * exact delivery times are not recorded).
 */
export interface DestinationReceipt {
  kind: Destination['kind'];
  url: string;
  /** The subject's spans taken out of the outbox before they were delivered. */
  heldBack: number;
  /** The other changed spans, which this destination may have received. */
  maybeSentSpans: number;
  /** When those were stored (to 10 s): they were sent at or soon after. null: unknown (retention). */
  storedFrom: string | null;
  storedTo: string | null;
}

export interface ErasureReceipt {
  mode: EraseMode;
  destinations: DestinationReceipt[];
  /** How the erasure webhook went, when one is configured. */
  webhook?: string;
  checkpoint: 'truncated' | 'busy';
}

export function erasureReceipt(
  mode: EraseMode,
  outcome: ErasureOutcome,
  destinations: readonly Destination[],
  storedAtMs: (row: number) => number | undefined,
  checkpointBusy: boolean,
): ErasureReceipt {
  const changed = outcome.counts.spans.deleted + outcome.counts.spans.rewritten;
  const iso = (row: number | undefined): string | null => {
    const ms = row === undefined ? undefined : storedAtMs(row);
    return ms === undefined ? null : new Date(ms).toISOString();
  };
  return {
    mode,
    destinations: destinations.map((d) => {
      const heldBack = outcome.heldBack[d.key] ?? 0;
      const maybeSentSpans = Math.max(0, changed - heldBack);
      return {
        kind: d.kind,
        url: d.url,
        heldBack,
        maybeSentSpans,
        storedFrom: maybeSentSpans === 0 ? null : iso(outcome.rowRange?.first),
        storedTo: maybeSentSpans === 0 ? null : iso(outcome.rowRange?.last),
      };
    }),
    checkpoint: checkpointBusy ? 'busy' : 'truncated',
  };
}

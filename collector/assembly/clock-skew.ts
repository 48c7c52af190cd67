import type { Adjuster, WorkingSpan, WorkingTrace } from './working-trace.js';
import { spanLabel, warn } from './working-trace.js';
import { hostKey } from './host-key.js';
import { formatNanos } from './format-nanos.js';

/**
 * Corrects clock skew between hosts, in the manner of Jaeger's clock-skew adjuster.
 *
 * Walking each tree from its root, a span timed on another host than its parent that starts before
 * its parent or ends after it is moved so it sits centred in its parent (the network time split
 * evenly both ways); the spans below it on its own host move with it. Spans on the same host are
 * never moved against each other: they share a clock. A child longer than its parent gives nothing
 * to go on and is left alone; so is an asynchronous hop (a CONSUMER child or a PRODUCER parent),
 * where starting after the parent has ended is normal. A shift larger than `maxDeltaNano` is
 * reported but not applied. Every change and every refusal is a warning on the span.
 */
export interface ClockSkewOptions {
  /** The largest shift applied; 0 disables the adjustment (skew is still reported). */
  maxDeltaNano: bigint;
}

interface Skew {
  host: string;
  delta: bigint;
  /** The span whose comparison with its parent produced the delta. */
  origin: string;
}

export function clockSkewAdjuster(options: ClockSkewOptions): Adjuster {
  const max = options.maxDeltaNano;
  return {
    name: 'clock-skew',
    adjust(trace: WorkingTrace): WorkingTrace {
      const spans = [...trace.spans];
      const warnings = [...trace.warnings];
      const byId = new Map<string, number>();
      spans.forEach((s, i) => {
        if (!byId.has(s.spanId)) byId.set(s.spanId, i);
      });
      const children = new Map<number, number[]>();
      const roots: number[] = [];
      spans.forEach((s, i) => {
        const p = s.parentSpanId === s.spanId ? undefined : byId.get(s.parentSpanId);
        if (p === undefined) {
          roots.push(i);
          return;
        }
        const siblings = children.get(p);
        if (siblings === undefined) children.set(p, [i]);
        else siblings.push(i);
      });

      let changed = false;
      const visited = new Set<number>();
      // Iterative depth-first walk: deep traces must not exhaust the stack.
      const stack: { index: number; parent: number | undefined; skew: Skew }[] = roots.map((index) => ({
        index,
        parent: undefined,
        skew: { host: hostKey(spans[index] as WorkingSpan), delta: 0n, origin: '' },
      }));
      while (stack.length > 0) {
        const { index, parent, skew: inherited } = stack.pop() as (typeof stack)[number];
        if (visited.has(index)) continue;
        visited.add(index);
        let span = spans[index] as WorkingSpan;
        let skew = inherited;
        const host = hostKey(span);
        if (parent !== undefined && host !== inherited.host) {
          const p = spans[parent] as WorkingSpan;
          const delta = isAsyncHop(span, p) ? 0n : skewAgainst(span, p);
          skew = { host, delta, origin: span.spanId };
          if (delta !== 0n && absolute(delta) > max) {
            const why =
              max === 0n ? 'the clock-skew adjustment is disabled' : `that exceeds the limit of ${formatNanos(max)}`;
            span = warn(
              warnings,
              span,
              `clock skew of ${formatNanos(delta)} against parent ${spanLabel(p)} on another host was not corrected: ${why}`,
            );
            skew = { ...skew, delta: 0n };
          }
        }
        if (skew.delta !== 0n) {
          const reason =
            skew.origin === span.spanId
              ? `it did not fit inside its parent span ${span.parentSpanId} timed on another host`
              : `together with span ${skew.origin} above it on the same host`;
          span = warn(
            warnings,
            shift(span, skew.delta),
            `moved by ${formatNanos(skew.delta)} for clock skew: ${reason}`,
          );
          changed = true;
        }
        spans[index] = span;
        for (const c of (children.get(index) ?? []).slice().reverse()) stack.push({ index: c, parent: index, skew });
      }
      return changed || warnings.length !== trace.warnings.length ? { ...trace, spans, warnings } : trace;
    },
  };
}

/**
 * The shift that centres the child in its parent, or 0 when the child already fits inside it or is
 * longer than it (then the skew cannot be told apart from a genuinely longer child).
 */
export function skewAgainst(child: WorkingSpan, parent: WorkingSpan): bigint {
  const childDuration = child.endTimeUnixNano - child.startTimeUnixNano;
  const parentDuration = parent.endTimeUnixNano - parent.startTimeUnixNano;
  if (childDuration > parentDuration) return 0n;
  if (child.startTimeUnixNano >= parent.startTimeUnixNano && child.endTimeUnixNano <= parent.endTimeUnixNano) return 0n;
  const latency = (parentDuration - childDuration) / 2n;
  return parent.startTimeUnixNano + latency - child.startTimeUnixNano;
}

function isAsyncHop(child: WorkingSpan, parent: WorkingSpan): boolean {
  return child.kind === 'CONSUMER' || parent.kind === 'PRODUCER';
}

function shift(span: WorkingSpan, delta: bigint): WorkingSpan {
  return {
    ...span,
    startTimeUnixNano: span.startTimeUnixNano + delta,
    endTimeUnixNano: span.endTimeUnixNano + delta,
    events: span.events.map((e) => ({ ...e, timeUnixNano: e.timeUnixNano + delta })),
  };
}

function absolute(n: bigint): bigint {
  return n < 0n ? -n : n;
}

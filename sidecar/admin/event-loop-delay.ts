import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** Event-loop delay quantiles in seconds, over the interval since the previous snapshot. */
export interface LoopDelaySnapshot {
  p50: number;
  p99: number;
  p999: number;
  max: number;
}

/**
 * How long the proxy's event loop was held up (perf_hooks.monitorEventLoopDelay, sampled every
 * millisecond): a request arriving during a stall waits for it, so this is the latency the proxy
 * adds to whatever it is not busy with. Each snapshot covers the time since the previous one.
 */
export class EventLoopDelay {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 1 });

  constructor() {
    this.histogram.enable();
  }

  snapshot(): LoopDelaySnapshot {
    const h = this.histogram;
    // The sampling timer itself fires every `resolution` ms: what is over that is delay.
    const over = (ns: number): number => (h.count === 0 ? 0 : Math.max(0, ns / 1e9 - 0.001));
    const s = {
      p50: over(h.percentile(50)),
      p99: over(h.percentile(99)),
      p999: over(h.percentile(99.9)),
      max: over(h.max),
    };
    h.reset();
    return s;
  }

  stop(): void {
    this.histogram.disable();
  }
}

/**
 * An open-loop load generator for bench/sidecar-open-loop.ts. Requests are scheduled at a fixed
 * rate and each is timed from its *scheduled* send time, not from when it was actually sent: a
 * stall of the target (or of a connection it holds) counts against every request it delays, as a
 * client with its own clock would see it. Per-response timing (autocannon's) leaves those delays
 * out — coordinated omission — and so reports tails far shorter than clients get.
 */
import { Pool } from 'undici';

export interface Target {
  base: string;
  path: string;
  body: Buffer;
}

export interface OpenLoopResult {
  sent: number;
  ok: number;
  failed: number;
  /** Milliseconds from each request's scheduled send time to its last response byte, sorted. */
  latencies: Float64Array;
}

const HEADERS = { 'content-type': 'application/json' };

/**
 * Offers `rate` req/s for `seconds` over up to `connections` keep-alive connections (more than the
 * rate needs, so a slow answer does not hold back the schedule; past them requests queue in the
 * client, still timed from their schedule).
 */
export async function openLoop(t: Target, rate: number, seconds: number, connections = 64): Promise<OpenLoopResult> {
  const pool = new Pool(t.base, { connections, pipelining: 1, keepAliveTimeout: 30_000 });
  const total = Math.round(rate * seconds);
  const latencies = new Float64Array(total);
  let ok = 0;
  let failed = 0;
  let sent = 0;
  let done = 0;
  const interval = 1000 / rate;
  const start = performance.now() + 5;
  let finish!: () => void;
  const over = new Promise<void>((r) => (finish = r));
  const settle = (): void => {
    done += 1;
    if (done === total) finish();
  };
  const send = (scheduled: number): void => {
    pool.request({ path: t.path, method: 'POST', headers: HEADERS, body: t.body }).then(
      async (res) => {
        await res.body.dump({ limit: Infinity });
        if (res.statusCode >= 200 && res.statusCode < 300) latencies[ok++] = performance.now() - scheduled;
        else failed += 1;
        settle();
      },
      () => {
        failed += 1;
        settle();
      },
    );
  };
  const tick = (): void => {
    const now = performance.now();
    while (sent < total && start + sent * interval <= now) send(start + interval * sent++);
    if (sent < total) setTimeout(tick, Math.max(0, start + sent * interval - performance.now() - 0.2));
  };
  setTimeout(tick, 5);
  await over;
  await pool.close();
  return { sent, ok, failed, latencies: latencies.subarray(0, ok).sort() };
}

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

/**
 * Closed loop at full speed: `connections` requests always in flight, each connection sending its
 * next as soon as its answer is in. Returns completed requests per second.
 */
export async function fullSpeed(
  t: Target,
  seconds: number,
  connections: number,
): Promise<{ rps: number; failed: number }> {
  const pool = new Pool(t.base, { connections, pipelining: 1, keepAliveTimeout: 30_000 });
  const end = performance.now() + seconds * 1000;
  let ok = 0;
  let failed = 0;
  const loop = async (): Promise<void> => {
    while (performance.now() < end) {
      try {
        const res = await pool.request({ path: t.path, method: 'POST', headers: HEADERS, body: t.body });
        await res.body.dump({ limit: Infinity });
        if (res.statusCode >= 200 && res.statusCode < 300) ok += 1;
        else failed += 1;
      } catch {
        failed += 1;
      }
    }
  };
  const began = performance.now();
  await Promise.all(Array.from({ length: connections }, loop));
  const elapsed = (performance.now() - began) / 1000;
  await pool.close();
  return { rps: ok / elapsed, failed };
}

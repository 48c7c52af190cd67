import { Pool } from 'undici';

export interface UpstreamPoolOptions {
  /** The model server's base URL; only its origin is used by the pool. */
  upstream: string;
  connections: number;
  timeoutMs: number;
}

/**
 * One keep-alive connection pool to the model server. The timeout bounds the wait for response
 * headers and the gap between body chunks (undici's headersTimeout / bodyTimeout); connecting gets
 * the same bound, capped at 10 s, so a black-holed address fails as a timeout rather than hanging.
 */
export function createUpstreamPool(options: UpstreamPoolOptions): Pool {
  return new Pool(new URL(options.upstream).origin, {
    connections: options.connections,
    pipelining: 1,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    connect: { timeout: Math.min(options.timeoutMs, 10_000) },
  });
}

/** Pool counters for /metrics (undici's PoolStats). */
export interface PoolStatsSnapshot {
  connected: number;
  free: number;
  pending: number;
  queued: number;
  running: number;
  size: number;
}

export function poolStats(pool: Pool): PoolStatsSnapshot {
  const s = pool.stats;
  return {
    connected: s.connected,
    free: s.free,
    pending: s.pending,
    queued: s.queued,
    running: s.running,
    size: s.size,
  };
}

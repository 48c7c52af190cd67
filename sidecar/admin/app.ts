import Fastify, { type FastifyInstance } from 'fastify';
import { errorBody } from '../../shared/errors.js';
import type { CaptureThreadStats } from '../capture/threads/capture-threads.js';
import type { SpanStats } from '../telemetry/counting-pipeline.js';
import type { LoopDelaySnapshot } from './event-loop-delay.js';
import type { PoolStatsSnapshot } from '../upstream-pool.js';
import type { SidecarMetrics } from './metrics.js';
import { PROMETHEUS_CONTENT_TYPE } from './prometheus-text.js';
import type { UpstreamCheck } from './readiness.js';

export interface AdminDeps {
  metrics: SidecarMetrics;
  spanStats(): SpanStats;
  poolStats(): PoolStatsSnapshot;
  upstreamCheck: UpstreamCheck;
  /** True once SIGTERM began draining: the pod must leave the load balancer. */
  draining(): boolean;
  /** Event-loop delay since the previous call. */
  loopDelay?(): LoopDelaySnapshot;
  /** Present when capture runs in threads. */
  captureStats?(): CaptureThreadStats;
}

/**
 * The admin port: liveness, readiness and Prometheus metrics, on a port of its own so no model
 * path is shadowed. Never listens here.
 */
export function buildAdminApp(deps: AdminDeps): FastifyInstance {
  const app = Fastify({ logger: false });

  // Liveness: the process answers; it says nothing about the model (that is readiness).
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    if (deps.draining()) {
      return reply
        .code(503)
        .send(errorBody('draining', 'the sidecar is shutting down and finishing in-flight requests'));
    }
    const result = await deps.upstreamCheck.check();
    if (!result.ready) return reply.code(503).send(errorBody('upstream_unready', result.detail));
    return { status: 'ready', upstream: result.detail };
  });

  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', PROMETHEUS_CONTENT_TYPE);
    return deps.metrics.render(deps.spanStats(), deps.poolStats(), deps.loopDelay?.(), deps.captureStats?.());
  });

  return app;
}

import type { FastifyPluginAsync } from 'fastify';
import { CONTENT_TYPES, chooseFormat } from './content-negotiation.js';
import { renderExposition } from './exposition-format.js';
import type { MetricRegistry } from './metric-registry.js';

export interface MetricsRouteOptions {
  registry: MetricRegistry;
}

/**
 * `GET /metrics` for Prometheus: OpenMetrics 1.0 (with exemplars) when the scraper's Accept header
 * prefers `application/openmetrics-text`, as Prometheus does; otherwise text format 0.0.4.
 */
export const metricsRoute: FastifyPluginAsync<MetricsRouteOptions> = async (app, opts) => {
  app.get('/metrics', async (request, reply) => {
    const format = chooseFormat(request.headers.accept);
    const body = renderExposition(opts.registry.collect(), format);
    return reply.header('content-type', CONTENT_TYPES[format]).send(body);
  });
};

import type { CollectorPlugin } from '../app.js';
import type { JaegerQueryDeps } from '../jaeger/jaeger-query-routes.js';
import { JAEGER_API_PREFIX, jaegerQueryRoutes } from '../jaeger/jaeger-query-routes.js';
import type { ZipkinReadDeps } from '../zipkin/zipkin-read-routes.js';
import { zipkinReadRoutes } from '../zipkin/zipkin-read-routes.js';
import { ZIPKIN_SERVER_PREFIX } from '../zipkin/zipkin-http.js';
import { zipkinServerRoutes } from '../zipkin/zipkin-server-routes.js';
import type { TraceService } from './trace-service.js';

/**
 * The Jaeger- and Zipkin-compatible read APIs as collector plugins (for buildApp's `plugins`):
 * Jaeger's under /jaeger/api/..., Zipkin's at /api/v2/... beside the Zipkin receiver's POST and, as
 * zipkin-server also answers, under /zipkin/api/v2/..., with /zipkin/config.json and /health.
 */
export function jaegerCompatPlugin(
  traces: TraceService,
  options: Omit<JaegerQueryDeps, 'traces'> = {},
  prefix = JAEGER_API_PREFIX,
): CollectorPlugin {
  return {
    name: 'jaeger-query-api',
    register: async (app) => {
      await app.register(jaegerQueryRoutes({ ...options, traces }), { prefix });
    },
  };
}

export function zipkinCompatPlugin(
  traces: TraceService,
  options: Omit<ZipkinReadDeps, 'traces'> = {},
): CollectorPlugin {
  return {
    name: 'zipkin-read-api',
    register: async (app, context) => {
      const routes = zipkinReadRoutes({ ...options, traces });
      await app.register(routes);
      await app.register(routes, { prefix: ZIPKIN_SERVER_PREFIX });
      await app.register(zipkinServerRoutes(context.health));
    },
  };
}

import type { CollectorPlugin } from '../app.js';
import type { JaegerQueryDeps } from '../jaeger/jaeger-query-routes.js';
import { JAEGER_API_PREFIX, jaegerQueryRoutes } from '../jaeger/jaeger-query-routes.js';
import type { ZipkinReadDeps } from '../zipkin/zipkin-read-routes.js';
import { zipkinReadRoutes } from '../zipkin/zipkin-read-routes.js';

/**
 * The Jaeger- and Zipkin-compatible read APIs as collector plugins (for buildApp's `plugins`):
 * Jaeger's under /jaeger/api/..., Zipkin's at /api/v2/... beside the Zipkin receiver's POST.
 */
export function jaegerCompatPlugin(options: Omit<JaegerQueryDeps, 'reader'> = {}, prefix = JAEGER_API_PREFIX): CollectorPlugin {
  return {
    name: 'jaeger-query-api',
    register: async (app, context) => {
      await app.register(jaegerQueryRoutes({ ...options, reader: context.store }), { prefix });
    },
  };
}

export function zipkinCompatPlugin(options: Omit<ZipkinReadDeps, 'reader'> = {}): CollectorPlugin {
  return {
    name: 'zipkin-read-api',
    register: async (app, context) => {
      await app.register(zipkinReadRoutes({ ...options, reader: context.store }));
    },
  };
}

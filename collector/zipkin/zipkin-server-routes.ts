import type { FastifyPluginAsync } from 'fastify';
import type { StoreStatus as StoreHealth } from '../open-with-retry.js';

/**
 * The two zipkin-server endpoints besides its API that Zipkin Lens (the published image proxies
 * `/zipkin/...` to the server with the prefix kept) and its deployments call:
 *   GET /zipkin/config.json  the UI's settings, with the field names Lens reads
 *   GET /health              zipkin-server's health shape: `{"status":"UP","zipkin":{"status":"UP",…}}`,
 *                            or DOWN with 503 while the span store cannot take spans.
 */
const ZIPKIN_UI_CONFIG = Object.freeze({
  environment: '',
  queryLimit: 10,
  /** 15 minutes, in milliseconds. */
  defaultLookback: 900_000,
  searchEnabled: true,
  // Error shares above which Lens draws a dependency line yellow, then red.
  dependency: Object.freeze({ enabled: true, lowErrorRate: 0.5, highErrorRate: 0.75 }),
});

/** The component named in the health details: the span store. */
const STORE_COMPONENT = 'SpanStore';

export function zipkinServerRoutes(health: () => StoreHealth): FastifyPluginAsync {
  return async (app) => {
    app.get('/zipkin/config.json', async () => ZIPKIN_UI_CONFIG);

    // Answers while the database is still opening: that is what it reports.
    app.get('/health', { config: { servesBeforeOpen: true } }, async (_request, reply) => {
      const h = health();
      const status = h.ok ? 'UP' : 'DOWN';
      const component = h.ok ? { status } : { status, details: { error: h.error ?? 'the span store is unavailable' } };
      return reply
        .code(h.ok ? 200 : 503)
        .send({ status, zipkin: { status, details: { [STORE_COMPONENT]: component } } });
    });
  };
}

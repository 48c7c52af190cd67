import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { collectorErrorHandler, collectorNotFoundHandler } from '../../collector/errors/error-handler.js';

/** A fastify instance with the collector's error handlers, for tests that register one area's routes alone. */
export function bareApp(options: FastifyServerOptions = {}): FastifyInstance {
  const app = Fastify(options);
  app.setErrorHandler(collectorErrorHandler);
  app.setNotFoundHandler(collectorNotFoundHandler);
  return app;
}

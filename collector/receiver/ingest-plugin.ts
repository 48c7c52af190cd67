import type { FastifyError, FastifyInstance } from 'fastify';
import { errorBody, stableCode } from '../../shared/errors.js';
import type { IngestOptions } from './ingest.js';
import { otlpHttpRoutes } from '../otlp/otlp-http.js';
import { zipkinHttpRoutes } from '../zipkin/zipkin-http.js';

/**
 * The receivers, in a scope of their own: there every body reaches the handler as the raw stream
 * (one catch-all content-type parser), so each receiver checks the type, the encoding and the size
 * itself and answers in its protocol's terms. Routes registered outside this scope keep fastify's
 * usual JSON parsing.
 */
export async function ingestPlugin(app: FastifyInstance, options: IngestOptions): Promise<void> {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
  // Errors fastify raises before a handler runs (a malformed Content-Type header, for one).
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode !== undefined && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error }, 'ingest failed');
    if (!request.raw.complete) reply.header('connection', 'close');
    return reply.code(status).send(errorBody(stableCode(error, status), error.message));
  });
  await app.register(otlpHttpRoutes, options);
  await app.register(zipkinHttpRoutes, options);
}

import type { FastifyInstance } from 'fastify';
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
  await app.register(otlpHttpRoutes, options);
  await app.register(zipkinHttpRoutes, options);
}

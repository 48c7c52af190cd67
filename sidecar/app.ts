import Fastify, { type FastifyInstance } from 'fastify';
import type { Dispatcher } from 'undici';
import type { SidecarMetrics } from './admin/metrics.js';
import type { ClientBodySettings } from './proxy/proxy-settings.js';
import type { ObserverFactory } from './proxy/exchange-observer.js';
import { createProxyHandler } from './proxy/handler.js';
import { DEFAULT_CLIENT_BODY } from './proxy/proxy-settings.js';
import type { Telemetry } from './telemetry.js';
import type { HttpMetadataProtection } from './capture/privacy/http-metadata-rules.js';

export interface SidecarAppDeps {
  /** The model server's base URL (origin plus optional path prefix). */
  upstream: string;
  pool: Dispatcher;
  telemetry: Pick<Telemetry, 'tracer' | 'propagator'>;
  metrics: SidecarMetrics;
  /** Used in the 504 message; the pool enforces the timeout itself. */
  timeoutMs: number;
  /** `peer.service` of the CLIENT span (see proxy/request-span.ts peerServiceOf). */
  peerService?: string;
  /** The client body's timeouts and buffering; defaults as the sidecar's own (60 s, 10 s, 64 KiB). */
  clientBody?: ClientBodySettings;
  /** Bound of the injected trace and baggage headers (absent: 10 KiB). */
  maxInjectedHeaderBytes?: number;
  /** Payload capture: called per sampled exchange (see proxy/exchange-observer.ts). */
  observe?: ObserverFactory;
  /** How the HTTP metadata on spans is protected (default: protected, see capture/privacy/http-metadata.ts). */
  metadata?: HttpMetadataProtection;
}

/**
 * The proxy as a fastify instance (never listening here). Every method and path is forwarded:
 * bodies are left unparsed, so the request stream reaches the model untouched, and the reply is
 * written straight from the upstream stream.
 */
export function buildApp(deps: SidecarAppDeps): FastifyInstance {
  const app = Fastify({ logger: false });
  const proxy = createProxyHandler({
    upstream: deps.upstream,
    pool: deps.pool,
    tracer: deps.telemetry.tracer,
    propagator: deps.telemetry.propagator,
    metrics: deps.metrics,
    timeoutMs: deps.timeoutMs,
    ...(deps.peerService !== undefined ? { peerService: deps.peerService } : {}),
    clientBody: deps.clientBody ?? DEFAULT_CLIENT_BODY,
    ...(deps.maxInjectedHeaderBytes !== undefined ? { maxInjectedHeaderBytes: deps.maxInjectedHeaderBytes } : {}),
    ...(deps.observe ? { observe: deps.observe } : {}),
    ...(deps.metadata ? { metadata: deps.metadata } : {}),
  });
  app.removeAllContentTypeParsers();
  // Leave every body as the raw request stream; the proxy streams it to the model.
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));
  const forward = (
    request: { raw: Parameters<typeof proxy>[0] },
    reply: { hijack(): void; raw: Parameters<typeof proxy>[1] },
  ): void => {
    reply.hijack();
    proxy(request.raw, reply.raw);
  };
  app.all('/*', forward);
  app.all('/', forward);
  // Methods fastify does not route (and anything else unmatched) are forwarded too.
  app.setNotFoundHandler(forward);
  return app;
}

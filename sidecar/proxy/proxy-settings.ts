import type { TextMapPropagator, Tracer } from '@opentelemetry/api';
import type { Dispatcher } from 'undici';
import type { SidecarMetrics } from '../admin/metrics.js';
import type { ClientBodyLimits } from './client-body.js';
import type { ObserverFactory } from './exchange-observer.js';
import type { HttpMetadataProtection } from '../capture/privacy/http-metadata-rules.js';

/** What the proxy handler needs, and the client-body settings with their defaults. */
export interface ProxyDeps {
  /** The model server's base URL (origin plus optional path prefix). */
  upstream: string;
  pool: Dispatcher;
  tracer: Tracer;
  propagator: TextMapPropagator;
  metrics: SidecarMetrics;
  timeoutMs: number;
  /** `peer.service` of the CLIENT span; unset: the model the path names, else the upstream host. */
  peerService?: string;
  clientBody: ClientBodySettings;
  /** Bound of the trace and baggage headers the proxy injects (absent: 10 KiB). */
  maxInjectedHeaderBytes?: number;
  observe?: ObserverFactory;
  /** How the HTTP metadata on spans is protected (absent: the defaults). */
  metadata?: HttpMetadataProtection;
}

export interface ClientBodySettings extends ClientBodyLimits {
  /** Bodies up to this size are read whole before the model is called. */
  bufferBytes: number;
}

export const DEFAULT_CLIENT_BODY: Readonly<ClientBodySettings> = Object.freeze({
  totalMs: 60_000,
  idleMs: 10_000,
  bufferBytes: 64 * 1024,
});

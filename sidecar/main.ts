import type { AddressInfo } from 'node:net';
import { buildAdminApp } from './admin/app.js';
import { SidecarMetrics } from './admin/metrics.js';
import { createUpstreamCheck } from './admin/readiness.js';
import { EventLoopDelay } from './admin/event-loop-delay.js';
import { buildApp } from './app.js';
import type { CaptureThreads } from './capture/threads/capture-threads.js';
import { offloadCapture } from './capture/threads/offload.js';
import type { SidecarConfig } from './config.js';
import type { ObserverFactory } from './proxy/exchange-observer.js';
import type { HttpMetadataProtection } from './capture/privacy/http-metadata-rules.js';
import { createTelemetry } from './telemetry.js';
import { createUpstreamPool, poolStats } from './upstream-pool.js';
import { EXIT } from '../shared/exit-codes.js';

export interface StartOptions {
  /** Payload capture (sidecar/capture); without it spans carry no ml.input/ml.output attributes. */
  observe?: ObserverFactory;
  /** Where start-up and shutdown lines go (default: standard error). */
  log?: (line: string) => void;
  /** Raise the span attribute limit to at least this (capture's `captureAttributeBudget`). */
  minAttributeCountLimit?: number;
  /** How the HTTP metadata on spans is protected (the rules file's `http_metadata:`); default: protected. */
  metadata?: HttpMetadataProtection;
  /** Capture threads to use instead of starting them from the capture settings (tests). */
  captureThreads?: CaptureThreads;
  /** The deny-list of objecting subjects (capture/privacy/objection-source.ts): pulled before listening, then kept current. */
  objections?: { start(): Promise<void>; stop(): void };
}

export interface SidecarHandle {
  /** The proxy's base URL, e.g. http://127.0.0.1:8080. */
  url: string;
  adminUrl: string;
  metrics: SidecarMetrics;
  /** Stops accepting, drains in-flight requests (up to the drain timeout), flushes spans. Idempotent. */
  close(): Promise<void>;
}

function baseUrl(address: AddressInfo | string | null, fallbackHost: string): string {
  if (address === null || typeof address === 'string') return `http://${fallbackHost}`;
  const host = address.address === '0.0.0.0' || address.address === '::' ? '127.0.0.1' : address.address;
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}

const statsOf = (t: CaptureThreads) => () => t.stats();

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Wires config → telemetry, pool, proxy and admin apps → listening servers. */
export async function startSidecar(config: SidecarConfig, options: StartOptions = {}): Promise<SidecarHandle> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const telemetry = await createTelemetry(config.telemetry, {
    ...(options.minAttributeCountLimit !== undefined ? { minAttributeCountLimit: options.minAttributeCountLimit } : {}),
  });
  const pool = createUpstreamPool({
    upstream: config.upstream,
    connections: config.upstreamConnections,
    timeoutMs: config.upstreamTimeoutMs,
  });
  const metrics = new SidecarMetrics();
  const loopDelay = new EventLoopDelay();
  // The JSON exporter reads attributes; the protobuf encoder (and no exporter) takes features encoded,
  // unless the SDK is to cut attribute values (it reads these variables itself; encoded ones it never sees).
  const cutsValues = ['OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT', 'OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT'].some(
    (name) => process.env[name] !== undefined,
  );
  const encodeFeatures =
    !cutsValues && (config.telemetry.protocol === 'http/protobuf' || config.telemetry.exporter === 'none');
  const capture = offloadCapture(options.observe, options.captureThreads, encodeFeatures);
  const upstreamCheck = createUpstreamCheck(config.upstream, config.upstreamHealthPath);
  let draining = false;
  const app = buildApp({
    upstream: config.upstream,
    pool,
    telemetry,
    metrics,
    timeoutMs: config.upstreamTimeoutMs,
    ...(config.peerService !== undefined ? { peerService: config.peerService } : {}),
    clientBody: {
      totalMs: config.clientBodyTimeoutMs,
      idleMs: config.clientIdleTimeoutMs,
      bufferBytes: config.requestBufferBytes,
    },
    maxInjectedHeaderBytes: config.maxInjectedHeaderBytes,
    ...(capture.observe ? { observe: capture.observe } : {}),
    ...(options.metadata ? { metadata: options.metadata } : {}),
  });
  const admin = buildAdminApp({
    metrics,
    spanStats: telemetry.spanStats,
    poolStats: () => poolStats(pool),
    upstreamCheck,
    draining: () => draining,
    loopDelay: () => loopDelay.snapshot(),
    ...(capture.threads ? { captureStats: statsOf(capture.threads) } : {}),
  });
  await options.objections?.start();
  await app.listen({ host: config.listen.host, port: config.listen.port });
  try {
    await admin.listen({ host: config.adminHost, port: config.adminPort });
  } catch (err) {
    await app.close();
    throw err;
  }
  const url = baseUrl(app.server.address(), config.listen.host);
  const adminUrl = baseUrl(admin.server.address(), config.adminHost);
  const exportTo =
    config.telemetry.exporter === 'none' ? 'nowhere (OTEL_TRACES_EXPORTER=none)' : config.telemetry.endpoint;
  log(`infertrace sidecar: ${url} → ${config.upstream}; admin ${adminUrl}; spans to ${exportTo}`);

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      draining = true;
      options.objections?.stop();
      const closed = app.close(); // stops accepting; resolves when every connection is gone
      const deadline = Date.now() + config.drainTimeoutMs;
      while (metrics.inFlight > 0 && Date.now() < deadline) await sleep(20);
      if (metrics.inFlight > 0)
        log(`infertrace sidecar: drain timeout, closing ${metrics.inFlight} unfinished request(s)`);
      app.server.closeAllConnections(); // idle keep-alive connections and any past the deadline
      await closed;
      // Requests cut at the deadline still end their spans (client_aborted) before the flush.
      const settle = Date.now() + 1000;
      while (metrics.inFlight > 0 && Date.now() < settle) await sleep(10);
      // Spans waiting for their capture end before the flush (a thread still starting up under
      // load can take seconds); captures unfinished after the drain timeout are given up
      // (ml.capture.reason=shutdown).
      await capture.threads?.drain(config.drainTimeoutMs);
      await capture.threads?.close();
      while (metrics.awaitingCapture > 0 && Date.now() < settle + 2000) await sleep(5);
      await telemetry.forceFlush().catch(() => undefined);
      await telemetry.shutdown().catch(() => undefined);
      loopDelay.stop();
      await Promise.allSettled([pool.close(), upstreamCheck.close(), admin.close()]);
    })();
    return closing;
  };
  return { url, adminUrl, metrics, close };
}

/** Starts the sidecar and stops it cleanly on SIGTERM / SIGINT (drain, flush, exit 0). */
export async function runSidecar(config: SidecarConfig, options: StartOptions = {}): Promise<SidecarHandle> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const handle = await startSidecar(config, { ...options, log });
  const stop = (signal: string): void => {
    log(`infertrace sidecar: ${signal}, draining in-flight requests and flushing spans`);
    handle.close().then(
      () => process.exit(EXIT.ok),
      (err: unknown) => {
        log(`infertrace sidecar: shutdown failed: ${err instanceof Error ? err.message : String(err)}`);
        process.exit(EXIT.internal);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  return handle;
}

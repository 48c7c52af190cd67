import { SpanKind, trace, type Span } from '@opentelemetry/api';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { ClientBody } from './client-body.js';
import { extractContext, upstreamRequestHeaders } from './extract-context.js';
import { UpstreamRequest, type ResponseSink } from './forward.js';
import { GuardedObserver } from './guarded-observer.js';
import { endToEndHeaders, rawValues, type RawHeaders } from './hop-by-hop.js';
import { hasBody, headerRecord, requestTarget } from './message.js';
import { modelRoute } from './model-path.js';
import { REQUEST_ID_HEADER, resolveRequestId } from './request-id.js';
import {
  clientSpanAttributes,
  peerServiceOf,
  serverSpanAttributes,
  spanName,
  upstreamTarget,
  type UpstreamTarget,
} from './request-span.js';
import { traceparentOf, withTraceMetric } from './server-timing.js';
import { ClientGoneError, classifyUpstreamError, type UpstreamFailure } from './upstream-errors.js';
import type { ProxyDeps } from './proxy-settings.js';
import { endClientSpan } from './span-endings.js';
import { endServerAfterCapture } from './server-span-after-capture.js';
import { sendFailure } from './failure-response.js';

const RESPONSE_REWRITTEN = new Set(['server-timing', REQUEST_ID_HEADER]);
const noop = (): void => {};

/** The proxy's request handler: ① extract ② SERVER span ③ capture ④ CLIENT span + forward ⑤ end. */
export function createProxyHandler(deps: ProxyDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const target = upstreamTarget(deps.upstream);
  return (req, res) => new Exchange(deps, target, req, res).run();
}

// Listeners shared by every exchange (no closure per request): the emitter carries its exchange.
const EXCHANGE = Symbol('infertrace.exchange');
type Carrier = ServerResponse & { [EXCHANGE]?: Exchange };
function onResponseOver(this: Carrier): void {
  this[EXCHANGE]?.responseOver();
}
function flushHeld(exchange: Exchange): void {
  exchange.flushHeld();
}

class Exchange implements ResponseSink {
  private serverSpan!: Span;
  private clientSpan!: Span;
  private observer!: GuardedObserver;
  private call: UpstreamRequest | undefined;
  private clientBody: ClientBody | undefined;
  private requestId = { id: '', fromClient: false };
  private traceparent = '';
  private upstreamStart = 0;
  private upstreamStatus: number | undefined;
  private statusSent: number | undefined;
  private failure: UpstreamFailure | undefined;
  private requestBytes = 0;
  private upstreamBytes = 0;
  private responseBytes = 0;
  private upstreamDone = false;
  private responseDone = false;
  private clientGone = false;
  private completed = false;

  constructor(
    private readonly deps: ProxyDeps,
    private readonly target: UpstreamTarget,
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
  ) {}

  run(): void {
    const { req, res, deps } = this;
    deps.metrics.inFlight += 1;
    req.on('error', noop);
    res.on('error', noop);
    const method = req.method ?? 'GET';
    const rawUrl = req.url ?? '/';
    const { url, path, query } = requestTarget(rawUrl);
    const route = modelRoute(path);

    // ① Extract the caller's context; hostile headers are ignored, never fatal.
    const parentCtx = extractContext(deps.propagator, req.headers);
    // ② SERVER span and request id.
    this.requestId = resolveRequestId(req.headers[REQUEST_ID_HEADER]);
    this.serverSpan = deps.tracer.startSpan(
      spanName(method, route.route),
      {
        kind: SpanKind.SERVER,
        attributes: serverSpanAttributes(
          req,
          {
            method,
            path,
            query,
            route,
            requestId: this.requestId.id,
          },
          deps.metadata,
        ),
      },
      parentCtx,
    );
    const serverCtx = trace.setSpan(parentCtx, this.serverSpan);
    this.traceparent = traceparentOf(this.serverSpan, parentCtx);
    // ③ Capture sees every chunk; only recorded exchanges are worth capturing.
    this.observer = new GuardedObserver(this.serverSpan.isRecording() ? deps.observe : undefined, {
      method,
      url: rawUrl,
      requestHeaders: req.headers,
    });
    // ④ CLIENT span, context injected with it as parent, body streamed.
    this.clientSpan = deps.tracer.startSpan(
      spanName(method, route.route),
      {
        kind: SpanKind.CLIENT,
        attributes: clientSpanAttributes(
          method,
          this.target,
          this.target.basePath + url,
          peerServiceOf(deps.peerService, route, this.target),
          deps.metadata,
        ),
      },
      serverCtx,
    );
    const { headers, dropped } = upstreamRequestHeaders(
      req.rawHeaders,
      deps.propagator,
      trace.setSpan(serverCtx, this.clientSpan),
      this.requestId.id,
      deps.maxInjectedHeaderBytes,
    );
    if (dropped > 0) deps.metrics.countDroppedHeaders(dropped);
    (res as Carrier)[EXCHANGE] = this;
    res.on('finish', onResponseOver);
    res.on('close', onResponseOver);
    const target = this.target.basePath + url;
    if (!hasBody(req)) return this.dispatch(target, method, headers, null);
    const settings = deps.clientBody;
    const body = new ClientBody(req, settings, (chunk) => {
      this.requestBytes += chunk.length;
      this.observer.requestChunk(chunk);
    });
    this.clientBody = body;
    const declared = Number(req.headers['content-length']);
    // A large body streams (under the client timeouts); a small one is read first, so a slow
    // client holds no connection to the model meanwhile.
    if (declared > settings.bufferBytes) return this.dispatch(target, method, headers, body.chunks());
    body.buffer(settings.bufferBytes).then(
      (whole) => this.dispatch(target, method, headers, whole ?? body.chunks()),
      (err: Error) => this.error(err),
    );
  }

  private dispatch(path: string, method: string, headers: string[], body: Buffer | AsyncIterable<Buffer> | null): void {
    if (this.clientGone) return this.error(new ClientGoneError('the client closed the connection'));
    this.upstreamStart = performance.now();
    // undici streams an async iterable body (its typings list only streams and buffers).
    this.call = new UpstreamRequest(
      this.deps.pool,
      { path, method, headers, body: body as Buffer | Readable | null },
      this,
    );
  }

  // ResponseSink: the upstream answer, streamed to the client.
  start(status: number, statusMessage: string | undefined, raw: RawHeaders): void {
    this.upstreamStatus = status;
    if (this.clientGone || this.res.destroyed) return;
    const headers = endToEndHeaders(raw, (n) => RESPONSE_REWRITTEN.has(n));
    headers.push(
      'server-timing',
      withTraceMetric(rawValues(raw, 'server-timing'), this.traceparent),
      REQUEST_ID_HEADER,
      this.requestId.id,
    );
    try {
      if (statusMessage) this.res.writeHead(status, statusMessage, headers);
      else this.res.writeHead(status, headers);
    } catch (err) {
      this.call?.abort(new Error(`the model server sent a response header Node.js refuses: ${(err as Error).message}`));
      return;
    }
    this.statusSent = status;
    if (this.observer.active) this.observer.responseStart(status, headerRecord(raw));
  }

  data(chunk: Buffer): boolean {
    this.upstreamBytes += chunk.length;
    this.observer.responseChunk(chunk);
    if (this.res.destroyed) return true;
    this.responseBytes += chunk.length;
    // Hold the chunk until the current parse is over: when the response ends in the same parse
    // (the usual small answer) it goes out with res.end(chunk), one write instead of two.
    const ok = this.flushHeld();
    this.held = chunk;
    process.nextTick(flushHeld, this);
    return ok && !this.res.writableNeedDrain;
  }

  private held: Buffer | undefined;

  flushHeld(): boolean {
    const chunk = this.held;
    if (chunk === undefined) return true;
    this.held = undefined;
    return this.res.destroyed ? true : this.res.write(chunk);
  }

  onDrain(resume: () => void): void {
    this.res.once('drain', resume);
  }

  end(): void {
    this.endClientSpan(undefined);
    const last = this.held;
    this.held = undefined;
    if (last !== undefined) this.res.end(last);
    else this.res.end();
    this.upstreamDone = true;
    this.maybeComplete();
  }

  error(err: Error): void {
    this.failure = classifyUpstreamError(err, {
      upstream: this.deps.upstream,
      timeoutMs: this.deps.timeoutMs,
      clientGone: this.clientGone || err instanceof ClientGoneError,
    });
    this.endClientSpan(err);
    if (!this.res.headersSent && !this.clientGone && !this.res.destroyed) this.sendError(this.failure);
    else if (!this.res.writableEnded) {
      this.flushHeld();
      this.res.destroy(err); // mid-body: the client must see the truncation
    }
    this.upstreamDone = true;
    this.maybeComplete();
  }

  private sendError(f: UpstreamFailure): void {
    this.responseBytes = sendFailure(this.res, f, this.requestId.id, this.traceparent);
    this.statusSent = f.spec.status;
  }

  responseOver(): void {
    if (this.responseDone) return;
    this.responseDone = true;
    // Answered before the body was all in (an early 413, a timeout): the connection must not hang.
    this.clientBody?.drainOrClose();
    if (!this.res.writableFinished) {
      this.clientGone = true;
      this.call?.abort(new ClientGoneError('the client closed the connection'));
    }
    this.maybeComplete();
  }

  private endClientSpan(err: Error | undefined): void {
    const f = err ? this.failure : undefined;
    if (f) this.deps.metrics.countUpstreamError(f.spec.code);
    const seconds = (performance.now() - this.upstreamStart) / 1000;
    this.deps.metrics.observeUpstream(err ? 'error' : (this.upstreamStatus ?? 'error'), seconds);
    endClientSpan(this.clientSpan, {
      error: err,
      failure: f,
      requestBytes: this.requestBytes,
      upstreamStatus: this.upstreamStatus,
      upstreamBytes: this.upstreamBytes,
    });
  }

  /** ⑤ Once both the upstream call and the client response are over: finish capture, end SERVER. */
  private maybeComplete(): void {
    if (this.completed || !this.upstreamDone || !this.responseDone) return;
    this.completed = true;
    this.deps.metrics.inFlight -= 1;
    this.deps.metrics.countRequest(this.req.method ?? 'GET', this.clientGone ? 499 : (this.statusSent ?? 499));
    if (!this.serverSpan.isRecording()) return this.serverSpan.end();
    const f = this.failure;
    const captured = this.observer.finish({
      completed: f === undefined && !this.clientGone && this.upstreamStatus !== undefined,
      ...(this.upstreamStatus !== undefined ? { statusCode: this.upstreamStatus } : {}),
    });
    endServerAfterCapture(
      this.serverSpan,
      captured,
      {
        failure: f,
        clientGone: this.clientGone,
        requestBytes: this.requestBytes,
        statusSent: this.statusSent,
        responseBytes: this.responseBytes,
        requestIdFromClient: this.requestId.fromClient,
      },
      this.deps.metrics,
    );
  }
}

import type { Dispatcher } from 'undici';
import type { RawHeaders } from './hop-by-hop.js';

/** Where the upstream response goes, as it streams (the proxy writes it to the client). */
export interface ResponseSink {
  start(status: number, statusMessage: string | undefined, rawHeaders: RawHeaders): void;
  /** Writes a body chunk; false when the client is not keeping up (the upstream is paused). */
  data(chunk: Buffer): boolean;
  /** Calls `resume` once the client can take more. */
  onDrain(resume: () => void): void;
  end(): void;
  error(err: Error): void;
}

/**
 * One call to the model server over the pool, streamed both ways through undici's dispatch API
 * (no intermediate stream objects): backpressure from the client pauses the upstream socket, and
 * `abort` cancels the call at any stage, even before a connection was assigned. The object is
 * itself the dispatch handler, so a call allocates no closures.
 */
export class UpstreamRequest implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | undefined;
  private pendingAbort: Error | undefined;
  private done = false;

  constructor(
    pool: Dispatcher,
    options: Dispatcher.DispatchOptions,
    private readonly sink: ResponseSink,
  ) {
    try {
      pool.dispatch(options, this);
    } catch (err) {
      // Invalid options (a header undici refuses): report like any other failed call.
      queueMicrotask(() => this.onResponseError(undefined, err instanceof Error ? err : new Error(String(err))));
    }
  }

  abort(reason: Error): void {
    if (this.done) return;
    if (this.controller) this.controller.abort(reason);
    else this.pendingAbort = reason;
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.pendingAbort) controller.abort(this.pendingAbort);
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    status: number,
    _headers: unknown,
    statusMessage?: string,
  ): void {
    if (status < 200) return; // informational answers are not relayed
    const raw = Array.isArray(controller.rawHeaders) ? (controller.rawHeaders as RawHeaders) : [];
    this.sink.start(status, statusMessage || undefined, raw);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (!this.sink.data(chunk)) {
      controller.pause();
      this.sink.onDrain(() => controller.resume());
    }
  }

  onResponseEnd(): void {
    if (this.done) return;
    this.done = true;
    this.sink.end();
  }

  onResponseError(_controller: unknown, err: Error): void {
    if (this.done) return;
    this.done = true;
    this.sink.error(err);
  }
}

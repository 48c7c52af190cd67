import type { IncomingHttpHeaders } from 'node:http';
import type { Attributes } from '../../shared/span-record.js';

/**
 * The seam between the proxy and payload capture. The proxy streams bodies through untouched and
 * shows each chunk to an observer, which may keep (a bounded amount of) it; when the exchange is
 * over the observer returns the attributes to set on the SERVER span.
 *
 * Contract: observers never change what the client or the model sees, are cheap per chunk, and
 * never throw into the proxy (the proxy still guards every call and records a throw as
 * `ml.capture = skipped`, `ml.capture.reason = observer_error`).
 */
export interface ExchangeInfo {
  method: string;
  /** Path and query as the client sent them. */
  url: string;
  requestHeaders: IncomingHttpHeaders;
}

export interface ExchangeOutcome {
  /** The upstream answered and the whole response reached the client. */
  completed: boolean;
  statusCode?: number;
}

export interface ExchangeObserver {
  onRequestChunk(chunk: Buffer): void;
  onResponseStart(statusCode: number, headers: Record<string, string | string[] | undefined>): void;
  onResponseChunk(chunk: Buffer): void;
  /**
   * Called once, before the SERVER span ends. The returned attributes are set on the SERVER span;
   * an `ml.request.id` among them (the protocol's own request id) replaces the generated one only
   * when the client sent no `x-request-id`. A promise (capture in a thread) holds the span open,
   * never the response: the span ends when it settles, with the end time the exchange ended at.
   */
  finish(outcome: ExchangeOutcome): Attributes | Promise<Attributes>;
}

/** Returns an observer for the exchange, or undefined to leave it uncaptured (e.g. not sampled). */
export type ObserverFactory = (info: ExchangeInfo) => ExchangeObserver | undefined;

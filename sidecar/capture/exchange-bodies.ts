import type { IncomingHttpHeaders } from 'node:http';
import type { ExchangeOutcome } from '../proxy/exchange-observer.js';
import { BoundedBody, type BodyFraming } from './body-reader.js';

type Headers = IncomingHttpHeaders | Record<string, string | string[] | undefined>;

function header(headers: Headers, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** How a body is framed, from its headers: content encoding, and OIP's binary-extension JSON length. */
export function framing(headers: Headers): BodyFraming {
  const f: BodyFraming = {};
  const encoding = header(headers, 'content-encoding');
  const jsonLength = Number(header(headers, 'inference-header-content-length'));
  if (encoding !== undefined) f.contentEncoding = encoding;
  if (Number.isInteger(jsonLength) && jsonLength >= 0) f.jsonLength = jsonLength;
  return f;
}

/**
 * Both bodies of an exchange, kept (bounded) as the proxy streams them: what every capture observer
 * holds, whether it captures on the event loop or hands the bytes to a capture thread.
 */
export abstract class ExchangeBodies {
  protected readonly request: BoundedBody;
  protected readonly response: BoundedBody;
  protected responseFraming: BodyFraming = {};

  constructor(maxBytes: number) {
    this.request = new BoundedBody(maxBytes);
    this.response = new BoundedBody(maxBytes);
  }

  onRequestChunk(chunk: Buffer): void {
    this.request.push(chunk);
  }

  onResponseStart(_statusCode: number, headers: Record<string, string | string[] | undefined>): void {
    this.responseFraming = framing(headers);
  }

  onResponseChunk(chunk: Buffer): void {
    this.response.push(chunk);
  }

  /** Whether the model answered with success: only then is the response captured. */
  protected static answered(outcome: ExchangeOutcome): boolean {
    const status = outcome.statusCode ?? 0;
    return outcome.completed && status >= 200 && status < 300;
  }
}

import {
  ROOT_CONTEXT,
  type Context,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';
import type { IncomingHttpHeaders } from 'node:http';
import { TRACE_CONTEXT_HEADERS } from '../propagation/composite.js';
import { UBER_BAGGAGE_PREFIX } from '../propagation/jaeger.js';
import { endToEndHeaders } from './hop-by-hop.js';
import { REQUEST_ID_HEADER } from './request-id.js';

/** Both directions of the hop: the caller's context in, the CLIENT span's context out. */

const headerGetter: TextMapGetter<IncomingHttpHeaders> = {
  get: (carrier, key) => carrier[key.toLowerCase()],
  keys: (carrier) => Object.keys(carrier),
};

type Injected = Map<string, [string, string]>;
const injectSetter: TextMapSetter<Injected> = { set: (c, k, v) => void c.set(k.toLowerCase(), [k, v]) };

/** Request headers the proxy writes itself (undici sets Host from the upstream; it refuses Expect). */
const REQUEST_REWRITTEN = new Set(['host', 'expect', REQUEST_ID_HEADER]);

/** ① The caller's context; invalid or hostile headers leave a root context (a new trace). */
export function extractContext(propagator: TextMapPropagator, headers: IncomingHttpHeaders): Context {
  try {
    return propagator.extract(ROOT_CONTEXT, headers, headerGetter);
  } catch {
    return ROOT_CONTEXT;
  }
}

/** The default bound of the injected headers: W3C's 8,192 bytes of baggage plus the trace headers. */
const DEFAULT_MAX_INJECTED_HEADER_BYTES = 10 * 1024;

/** Bytes a header takes on the wire (`name: value` and CRLF). */
const headerBytes = (name: string, value: string): number => name.length + value.length + 4;

const BAGGAGE = 'baggage';

/**
 * Keeps the injected headers within `maxBytes`: over it, the baggage copies are dropped — first the
 * `uberctx-` entries, then `baggage` — and never the trace context itself. Returns the names dropped.
 */
function boundInjected(injected: Injected, maxBytes: number): Set<string> {
  let total = 0;
  for (const [name, value] of injected.values()) total += headerBytes(name, value);
  const dropped = new Set<string>();
  const drop = (key: string): void => {
    const [name, value] = injected.get(key) as [string, string];
    total -= headerBytes(name, value);
    injected.delete(key);
    dropped.add(key);
  };
  for (const key of [...injected.keys()].filter((k) => k.startsWith(UBER_BAGGAGE_PREFIX)).reverse()) {
    if (total <= maxBytes) return dropped;
    drop(key);
  }
  if (total > maxBytes && injected.has(BAGGAGE)) drop(BAGGAGE);
  return dropped;
}

export interface UpstreamHeaders {
  headers: string[];
  /** Injected baggage copies dropped to keep within the bound. */
  dropped: number;
}

/**
 * The forwarded request's headers: the client's end-to-end headers minus every trace-context header
 * of a known format, then the request id and what the configured injectors write for `clientCtx`
 * (within `maxInjectedBytes`).
 */
export function upstreamRequestHeaders(
  rawHeaders: readonly string[],
  propagator: TextMapPropagator,
  clientCtx: Context,
  requestId: string,
  maxInjectedBytes = DEFAULT_MAX_INJECTED_HEADER_BYTES,
): UpstreamHeaders {
  const injected: Injected = new Map();
  try {
    propagator.inject(clientCtx, injected, injectSetter);
  } catch {
    injected.clear();
  }
  const dropped = boundInjected(injected, maxInjectedBytes);
  // A dropped copy must not come back as the client's own header of that name.
  const replaced = (n: string): boolean =>
    REQUEST_REWRITTEN.has(n) || TRACE_CONTEXT_HEADERS.has(n) || injected.has(n) || dropped.has(n);
  const headers = endToEndHeaders(rawHeaders, replaced);
  headers.push(REQUEST_ID_HEADER, requestId);
  for (const [k, v] of injected.values()) headers.push(k, v);
  return { headers, dropped: dropped.size };
}

import { ROOT_CONTEXT, type Context, type TextMapGetter, type TextMapPropagator, type TextMapSetter } from '@opentelemetry/api';
import type { IncomingHttpHeaders } from 'node:http';
import { TRACE_CONTEXT_HEADERS } from '../propagation/composite.js';
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

/**
 * The forwarded request's headers: the client's end-to-end headers minus every trace-context header
 * of a known format, then the request id and what the configured injectors write for `clientCtx`.
 */
export function upstreamRequestHeaders(
  rawHeaders: readonly string[],
  propagator: TextMapPropagator,
  clientCtx: Context,
  requestId: string,
): string[] {
  const injected: Injected = new Map();
  try {
    propagator.inject(clientCtx, injected, injectSetter);
  } catch {
    injected.clear();
  }
  const out = endToEndHeaders(rawHeaders, (n) => REQUEST_REWRITTEN.has(n) || TRACE_CONTEXT_HEADERS.has(n) || injected.has(n));
  out.push(REQUEST_ID_HEADER, requestId);
  for (const [k, v] of injected.values()) out.push(k, v);
  return out;
}

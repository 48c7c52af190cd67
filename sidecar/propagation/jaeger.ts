import {
  TraceFlags,
  createContextKey,
  isSpanContextValid,
  propagation,
  trace,
  type Baggage,
  type Context,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';
import { normaliseSpanId, normaliseTraceId } from '../../shared/ids.js';
import { isDebug, withDebug, withRandomTraceId, withSamplingHint, withSourceFormat } from './context-keys.js';

/**
 * Jaeger `uber-trace-id: {trace-id}:{span-id}:{parent-span-id}:{flags}` and `uberctx-{key}` baggage.
 * Written here because the OpenTelemetry JS propagator does not validate the ids (a malformed
 * header replaces a good context from another format, and upper-case ids leak into `traceparent`)
 * and treats unreadable flags as "sampled".
 */

export const UBER_TRACE_ID = 'uber-trace-id';
export const UBER_BAGGAGE_PREFIX = 'uberctx-';

/**
 * When `uberctx-` copies of the baggage are written: `incoming` only when the caller sent its
 * baggage that way (a model server may refuse one extra header per entry), `always` for every call.
 */
export type JaegerBaggageMode = 'incoming' | 'always';
export const JAEGER_BAGGAGE_MODES: readonly JaegerBaggageMode[] = ['incoming', 'always'];

/** Set on a context whose baggage arrived (at least partly) as `uberctx-` headers. */
const JAEGER_BAGGAGE_IN = createContextKey('infertrace jaeger baggage received');

/** `to`, marked as holding Jaeger baggage when `from` is (for composites that merge contexts). */
export function withJaegerBaggageMark(from: Context, to: Context): Context {
  return from.getValue(JAEGER_BAGGAGE_IN) === true ? to.setValue(JAEGER_BAGGAGE_IN, true) : to;
}

const FLAG_SAMPLED = 0x01;
const FLAG_DEBUG = 0x02;

export interface JaegerContext {
  traceId: string;
  spanId: string;
  sampled: boolean;
  debug: boolean;
}

/** Parses one `uber-trace-id` value (clients may URL-encode the colons). */
export function parseUberTraceId(value: string): JaegerContext | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(value.trim());
  } catch {
    return undefined;
  }
  const parts = decoded.split(':');
  if (parts.length !== 4) return undefined;
  const [rawTrace, rawSpan, rawParent, rawFlags] = parts as [string, string, string, string];
  const traceId = normaliseTraceId(rawTrace);
  const spanId = normaliseSpanId(rawSpan);
  if (!traceId || !spanId) return undefined;
  // The parent is deprecated and ignored, but must still be hex (0 means root).
  if (!/^[0-9a-fA-F]{1,16}$/.test(rawParent) || !/^[0-9a-fA-F]{1,2}$/.test(rawFlags)) return undefined;
  const flags = parseInt(rawFlags, 16);
  return { traceId, spanId, sampled: (flags & FLAG_SAMPLED) !== 0, debug: (flags & FLAG_DEBUG) !== 0 };
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

export class JaegerPropagator implements TextMapPropagator {
  constructor(private readonly baggageMode: JaegerBaggageMode = 'incoming') {}

  extract(ctx: Context, carrier: unknown, getter: TextMapGetter): Context {
    let out = ctx;
    const before = propagation.getBaggage(ctx);
    const baggage = readBaggage(carrier, getter, before);
    if (baggage) out = propagation.setBaggage(out, baggage);
    if (baggage !== before) out = out.setValue(JAEGER_BAGGAGE_IN, true);
    const header = first(getter.get(carrier, UBER_TRACE_ID));
    const jc = header === undefined ? undefined : parseUberTraceId(header);
    if (!jc) return out;
    out = withSourceFormat(withRandomTraceId(out, false), 'jaeger');
    if (jc.debug) out = withSamplingHint(withDebug(out), 'debug');
    return trace.setSpanContext(out, {
      traceId: jc.traceId,
      spanId: jc.spanId,
      traceFlags: jc.sampled || jc.debug ? TraceFlags.SAMPLED : TraceFlags.NONE,
      isRemote: true,
    });
  }

  inject(ctx: Context, carrier: unknown, setter: TextMapSetter): void {
    const sc = trace.getSpanContext(ctx);
    if (sc && isSpanContextValid(sc)) {
      const sampled = (sc.traceFlags & TraceFlags.SAMPLED) !== 0;
      const flags = (sampled ? FLAG_SAMPLED : 0) | (isDebug(ctx) ? FLAG_DEBUG | FLAG_SAMPLED : 0);
      setter.set(carrier, UBER_TRACE_ID, `${sc.traceId}:${sc.spanId}:0:${flags.toString(16)}`);
    }
    if (this.baggageMode === 'incoming' && ctx.getValue(JAEGER_BAGGAGE_IN) !== true) return;
    const baggage = propagation.getBaggage(ctx);
    for (const [key, entry] of baggage?.getAllEntries() ?? []) {
      if (/^[a-z0-9_-]+$/i.test(key))
        setter.set(carrier, `${UBER_BAGGAGE_PREFIX}${key}`, encodeURIComponent(entry.value));
    }
  }

  fields(): string[] {
    return [UBER_TRACE_ID];
  }
}

/** Adds every decodable `uberctx-*` header to the baggage already extracted (if any). */
function readBaggage(carrier: unknown, getter: TextMapGetter, current: Baggage | undefined): Baggage | undefined {
  let baggage = current;
  for (const name of getter.keys(carrier)) {
    const lower = name.toLowerCase();
    if (!lower.startsWith(UBER_BAGGAGE_PREFIX) || lower.length === UBER_BAGGAGE_PREFIX.length) continue;
    const raw = first(getter.get(carrier, name));
    if (raw === undefined) continue;
    try {
      baggage = (baggage ?? propagation.createBaggage()).setEntry(lower.slice(UBER_BAGGAGE_PREFIX.length), {
        value: decodeURIComponent(raw),
      });
    } catch {
      // an undecodable value is skipped, never fatal
    }
  }
  return baggage;
}

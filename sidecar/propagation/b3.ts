import {
  TraceFlags,
  isSpanContextValid,
  trace,
  type Context,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';
import {
  isDebug,
  withDebug,
  withRandomTraceId,
  withSamplingHint,
  withSourceFormat,
  type SamplingHint,
} from './context-keys.js';

/**
 * B3 (Zipkin) single `b3` header and multiple `X-B3-*` headers. Written here because the
 * OpenTelemetry JS propagator ignores a sampling state sent without ids (`b3: 0`), loses the
 * debug flag when a single header is re-injected as multiple headers, matches `b3` values
 * unanchored, and accepts upper-case ids that then leak into an invalid `traceparent`.
 */

export const B3_SINGLE = 'b3';
export const B3_TRACE_ID = 'x-b3-traceid';
export const B3_SPAN_ID = 'x-b3-spanid';
export const B3_SAMPLED = 'x-b3-sampled';
export const B3_FLAGS = 'x-b3-flags';
export const B3_PARENT_SPAN_ID = 'x-b3-parentspanid';

export interface B3Context {
  /** 32 lower-hex characters (64-bit ids are left-padded with zeros). */
  traceId?: string;
  spanId?: string;
  sampling: SamplingHint;
}

const TRACE_ID = /^(?:[0-9a-f]{16}|[0-9a-f]{32})$/;
const SPAN_ID = /^[0-9a-f]{16}$/;

function ids(traceId: string, spanId: string): { traceId: string; spanId: string } | undefined {
  if (!TRACE_ID.test(traceId) || !SPAN_ID.test(spanId)) return undefined;
  const padded = traceId.padStart(32, '0');
  if (/^0+$/.test(padded) || /^0+$/.test(spanId)) return undefined;
  return { traceId: padded, spanId };
}

const SINGLE_STATE: Record<string, SamplingHint> = { '0': 'deny', '1': 'accept', d: 'debug' };

/** `{TraceId}-{SpanId}[-{SamplingState}[-{ParentSpanId}]]`, or a sampling state alone. */
export function parseB3Single(value: string): B3Context | undefined {
  const v = value.trim();
  const alone = SINGLE_STATE[v];
  if (alone) return { sampling: alone };
  const parts = v.split('-');
  if (parts.length < 2 || parts.length > 4) return undefined;
  const found = ids(parts[0] as string, parts[1] as string);
  if (!found) return undefined;
  let sampling: SamplingHint = 'defer';
  if (parts.length >= 3) {
    const state = SINGLE_STATE[parts[2] as string];
    if (!state) return undefined;
    sampling = state;
  }
  if (parts.length === 4 && !SPAN_ID.test(parts[3] as string)) return undefined;
  return { ...found, sampling };
}

// Before the spec was written some tracers sent true/false; a lenient reader accepts them.
const MULTI_SAMPLED: Record<string, SamplingHint> = { '1': 'accept', '0': 'deny', true: 'accept', false: 'deny' };

/** The `X-B3-*` headers; a malformed value makes the whole context invalid. */
export function parseB3Multi(h: {
  traceId?: string;
  spanId?: string;
  sampled?: string;
  flags?: string;
}): B3Context | undefined {
  let sampling: SamplingHint = 'defer';
  if (h.sampled !== undefined) {
    const s = MULTI_SAMPLED[h.sampled.trim().toLowerCase()];
    if (!s) return undefined;
    sampling = s;
  }
  if (h.flags?.trim() === '1') sampling = 'debug';
  if (h.traceId === undefined && h.spanId === undefined) {
    return sampling === 'defer' ? undefined : { sampling };
  }
  const found = ids((h.traceId ?? '').trim(), (h.spanId ?? '').trim());
  return found ? { ...found, sampling } : undefined;
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** Reads both encodings (single wins); injects the one chosen by `encoding`. */
export class B3Propagator implements TextMapPropagator {
  constructor(private readonly encoding: 'single' | 'multi') {}

  extract(ctx: Context, carrier: unknown, getter: TextMapGetter): Context {
    const single = first(getter.get(carrier, B3_SINGLE));
    // The single header wins; a malformed one falls back to the multiple headers.
    const b3 =
      (single !== undefined ? parseB3Single(single) : undefined) ??
      parseB3Multi({
        traceId: first(getter.get(carrier, B3_TRACE_ID)),
        spanId: first(getter.get(carrier, B3_SPAN_ID)),
        sampled: first(getter.get(carrier, B3_SAMPLED)),
        flags: first(getter.get(carrier, B3_FLAGS)),
      });
    if (!b3) return ctx;
    let out = withSamplingHint(ctx, b3.sampling);
    if (b3.sampling === 'debug') out = withDebug(out);
    if (b3.traceId === undefined || b3.spanId === undefined) return out;
    out = withSourceFormat(withRandomTraceId(out, false), 'b3');
    const sampled = b3.sampling === 'accept' || b3.sampling === 'debug';
    return trace.setSpanContext(out, {
      traceId: b3.traceId,
      spanId: b3.spanId,
      traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
      isRemote: true,
    });
  }

  inject(ctx: Context, carrier: unknown, setter: TextMapSetter): void {
    const sc = trace.getSpanContext(ctx);
    if (!sc || !isSpanContextValid(sc)) return;
    const debug = isDebug(ctx);
    const sampled = (sc.traceFlags & TraceFlags.SAMPLED) !== 0;
    if (this.encoding === 'single') {
      setter.set(carrier, B3_SINGLE, `${sc.traceId}-${sc.spanId}-${debug ? 'd' : sampled ? '1' : '0'}`);
      return;
    }
    setter.set(carrier, B3_TRACE_ID, sc.traceId);
    setter.set(carrier, B3_SPAN_ID, sc.spanId);
    // Debug implies accept, so X-B3-Sampled is not sent beside it.
    if (debug) setter.set(carrier, B3_FLAGS, '1');
    else setter.set(carrier, B3_SAMPLED, sampled ? '1' : '0');
  }

  fields(): string[] {
    return this.encoding === 'single' ? [B3_SINGLE] : [B3_TRACE_ID, B3_SPAN_ID, B3_SAMPLED, B3_FLAGS];
  }
}

import {
  TraceFlags,
  isSpanContextValid,
  trace,
  type Context,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';
import { isRandomTraceId, withRandomTraceId, withSourceFormat } from './context-keys.js';
import { formatTraceParent, parseTraceParent } from './traceparent.js';
import { W3CTraceState } from './tracestate.js';

export const TRACEPARENT = 'traceparent';
export const TRACESTATE = 'tracestate';

/**
 * W3C Trace Context Level 2. Written here because the OpenTelemetry JS propagator (core 2.12)
 * falls short of the Level 2 rules the W3C suite checks: it drops the random-trace-id flag, accepts
 * only one whitespace character around the value, keeps invalid tracestate members' neighbours,
 * and validates keys with the Level 1 grammar.
 */
export class W3CTraceContextPropagator implements TextMapPropagator {
  extract(ctx: Context, carrier: unknown, getter: TextMapGetter): Context {
    const parent = parseTraceParent(getter.get(carrier, TRACEPARENT));
    if (!parent) return ctx;
    // A tracestate is only read beside a valid traceparent; a bad one is dropped, the trace kept.
    const traceState = W3CTraceState.parse(getter.get(carrier, TRACESTATE));
    const withFlags = withSourceFormat(withRandomTraceId(ctx, parent.random), 'tracecontext');
    return trace.setSpanContext(withFlags, {
      traceId: parent.traceId,
      spanId: parent.parentId,
      traceFlags: parent.sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
      isRemote: true,
      ...(traceState ? { traceState } : {}),
    });
  }

  inject(ctx: Context, carrier: unknown, setter: TextMapSetter): void {
    const sc = trace.getSpanContext(ctx);
    if (!sc || !isSpanContextValid(sc)) return;
    setter.set(
      carrier,
      TRACEPARENT,
      formatTraceParent({
        traceId: sc.traceId,
        spanId: sc.spanId,
        sampled: (sc.traceFlags & TraceFlags.SAMPLED) !== 0,
        random: isRandomTraceId(ctx),
      }),
    );
    const state = sc.traceState?.serialize();
    if (state) setter.set(carrier, TRACESTATE, state);
  }

  fields(): string[] {
    return [TRACEPARENT, TRACESTATE];
  }
}

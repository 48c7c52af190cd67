import {
  propagation,
  trace,
  type Context,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';
import { W3CBaggagePropagator } from '@opentelemetry/core';
import { B3Propagator, B3_FLAGS, B3_PARENT_SPAN_ID, B3_SAMPLED, B3_SINGLE, B3_SPAN_ID, B3_TRACE_ID } from './b3.js';
import { JaegerPropagator, UBER_TRACE_ID, withJaegerBaggageMark, type JaegerBaggageMode } from './jaeger.js';
import { TRACEPARENT, TRACESTATE, W3CTraceContextPropagator } from './w3c-trace-context.js';

/** The `OTEL_PROPAGATORS` values the sidecar understands. */
const PROPAGATOR_NAMES = ['tracecontext', 'baggage', 'b3', 'b3multi', 'jaeger', 'none'] as const;
export type PropagatorName = (typeof PROPAGATOR_NAMES)[number];
const DEFAULT_PROPAGATORS: readonly PropagatorName[] = ['tracecontext', 'baggage', 'b3multi', 'jaeger'];

/**
 * Every header that identifies a trace in a format the sidecar knows. They are all removed from the
 * forwarded request and replaced by what the configured injectors write, so the model server never
 * sees a stale parent (for example a client's `b3` when only `b3multi` is configured).
 */
export const TRACE_CONTEXT_HEADERS: ReadonlySet<string> = new Set([
  TRACEPARENT,
  TRACESTATE,
  B3_SINGLE,
  B3_TRACE_ID,
  B3_SPAN_ID,
  B3_SAMPLED,
  B3_FLAGS,
  B3_PARENT_SPAN_ID,
  UBER_TRACE_ID,
]);

/** Parses `OTEL_PROPAGATORS`; returns the names and the unknown entries. */
export function parsePropagatorList(text: string | undefined): { names: PropagatorName[]; unknown: string[] } {
  if (text === undefined || text.trim() === '') return { names: [...DEFAULT_PROPAGATORS], unknown: [] };
  const names: PropagatorName[] = [];
  const unknown: string[] = [];
  for (const raw of text.split(',')) {
    const name = raw.trim().toLowerCase();
    if (name === '') continue;
    if ((PROPAGATOR_NAMES as readonly string[]).includes(name)) {
      if (!names.includes(name as PropagatorName)) names.push(name as PropagatorName);
    } else unknown.push(name);
  }
  return { names: names.includes('none') ? [] : names, unknown };
}

/**
 * Extracts with the configured formats, in their configured order: the first one that yields a
 * valid span context is the parent (later formats cannot overwrite it, so a malformed header of
 * another format never replaces a good one); baggage from W3C `baggage` and Jaeger `uberctx-` is
 * merged. Injects every configured format.
 */
export class SidecarPropagator implements TextMapPropagator {
  private readonly traceFormats: TextMapPropagator[] = [];
  private readonly baggage: TextMapPropagator | undefined;
  private readonly fieldList: string[];

  constructor(names: readonly PropagatorName[], jaegerBaggage: JaegerBaggageMode = 'incoming') {
    for (const name of names) {
      if (name === 'tracecontext') this.traceFormats.push(new W3CTraceContextPropagator());
      else if (name === 'b3') this.traceFormats.push(new B3Propagator('single'));
      else if (name === 'b3multi') this.traceFormats.push(new B3Propagator('multi'));
      else if (name === 'jaeger') this.traceFormats.push(new JaegerPropagator(jaegerBaggage));
    }
    this.baggage = names.includes('baggage') ? new W3CBaggagePropagator() : undefined;
    this.fieldList = [
      ...new Set([...this.traceFormats, ...(this.baggage ? [this.baggage] : [])].flatMap((p) => p.fields())),
    ];
  }

  extract(ctx: Context, carrier: unknown, getter: TextMapGetter): Context {
    let out = this.baggage ? this.baggage.extract(ctx, carrier, getter) : ctx;
    let found = false;
    for (const format of this.traceFormats) {
      const next = format.extract(out, carrier, getter);
      if (found) {
        // Only baggage (uberctx-) may still be taken from a later format.
        out = next === out ? out : keepSpan(out, next);
        continue;
      }
      out = next;
      found = trace.getSpanContext(out) !== undefined;
    }
    return out;
  }

  inject(ctx: Context, carrier: unknown, setter: TextMapSetter): void {
    for (const format of this.traceFormats) format.inject(ctx, carrier, setter);
    this.baggage?.inject(ctx, carrier, setter);
  }

  fields(): string[] {
    return this.fieldList;
  }
}

function keepSpan(winner: Context, later: Context): Context {
  const baggage = propagation.getBaggage(later);
  return withJaegerBaggageMark(later, baggage ? propagation.setBaggage(winner, baggage) : winner);
}

import { createContextKey, type Context } from '@opentelemetry/api';

/**
 * What the extractors learn besides the span context, kept in the OpenTelemetry Context so the
 * injectors and the sampler of the same exchange can act on it.
 */

/** A sampling decision that came without a usable parent (B3 `b3: 0`, `X-B3-Sampled: 1` alone, …). */
export type SamplingHint = 'deny' | 'accept' | 'debug' | 'defer';

const SAMPLING_HINT = createContextKey('infertrace.sampling_hint');
const DEBUG = createContextKey('infertrace.debug');
const RANDOM_TRACE_ID = createContextKey('infertrace.random_trace_id');
const SOURCE_FORMAT = createContextKey('infertrace.source_format');

export function withSamplingHint(ctx: Context, hint: SamplingHint | undefined): Context {
  return hint === undefined ? ctx : ctx.setValue(SAMPLING_HINT, hint);
}

export function getSamplingHint(ctx: Context): SamplingHint | undefined {
  return ctx.getValue(SAMPLING_HINT) as SamplingHint | undefined;
}

/** B3 debug / Jaeger debug flag: carried on to every injected format that can express it. */
export function withDebug(ctx: Context): Context {
  return ctx.setValue(DEBUG, true);
}

export function isDebug(ctx: Context): boolean {
  return ctx.getValue(DEBUG) === true;
}

/**
 * The W3C random-trace-id flag of a continued trace. Absent means the trace started here, where
 * ids are random, so the flag is set.
 */
export function withRandomTraceId(ctx: Context, random: boolean): Context {
  return ctx.setValue(RANDOM_TRACE_ID, random);
}

export function isRandomTraceId(ctx: Context): boolean {
  const v = ctx.getValue(RANDOM_TRACE_ID);
  return v === undefined ? true : v === true;
}

/** Which propagation format the trace was continued from (for the span attribute). */
export function withSourceFormat(ctx: Context, format: string): Context {
  return ctx.setValue(SOURCE_FORMAT, format);
}

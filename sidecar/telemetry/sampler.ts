import { trace, type Attributes, type Context, type Link, type SpanKind } from '@opentelemetry/api';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  SamplingDecision,
  TraceIdRatioBasedSampler,
  type Sampler,
  type SamplingResult,
} from '@opentelemetry/sdk-trace-base';
import { getSamplingHint } from '../propagation/context-keys.js';

/** The `OTEL_TRACES_SAMPLER` values the sidecar understands. */
export const SAMPLER_NAMES = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;
export type SamplerName = (typeof SAMPLER_NAMES)[number];

/** Builds the sampler `OTEL_TRACES_SAMPLER` / `OTEL_TRACES_SAMPLER_ARG` name. */
export function buildSampler(name: SamplerName, ratio: number): Sampler {
  const root = name.endsWith('always_on')
    ? new AlwaysOnSampler()
    : name.endsWith('always_off')
      ? new AlwaysOffSampler()
      : new TraceIdRatioBasedSampler(ratio);
  return name.startsWith('parentbased_') ? new HintedParentBasedSampler(root) : root;
}

/**
 * ParentBased sampling that also honours a decision sent without a usable parent: B3 `b3: 0`
 * (deny), `X-B3-Sampled: 1` alone (accept), debug (always sample), and ids sent with no decision
 * (defer: this sidecar decides with its root sampler instead of treating the parent as unsampled).
 */
class HintedParentBasedSampler implements Sampler {
  private readonly parentBased: ParentBasedSampler;

  constructor(private readonly root: Sampler) {
    this.parentBased = new ParentBasedSampler({ root });
  }

  shouldSample(
    ctx: Context,
    traceId: string,
    name: string,
    kind: SpanKind,
    attrs: Attributes,
    links: Link[],
  ): SamplingResult {
    const hint = getSamplingHint(ctx);
    // Hints are about the remote caller; a local parent (the SERVER span) already carries the decision.
    const parent = trace.getSpanContext(ctx);
    if (hint !== undefined && (parent === undefined || parent.isRemote === true)) {
      if (hint === 'deny') return { decision: SamplingDecision.NOT_RECORD };
      if (hint === 'accept' || hint === 'debug') return { decision: SamplingDecision.RECORD_AND_SAMPLED };
      return this.root.shouldSample(ctx, traceId, name, kind, attrs, links);
    }
    return this.parentBased.shouldSample(ctx, traceId, name, kind, attrs, links);
  }

  toString(): string {
    return `HintedParentBased{root=${this.root.toString()}}`;
  }
}

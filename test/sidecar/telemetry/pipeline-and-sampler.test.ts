import { ROOT_CONTEXT, SpanKind, TraceFlags, trace, type Context } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import {
  SamplingDecision,
  type ReadableSpan,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { withSamplingHint, type SamplingHint } from '../../../sidecar/propagation/context-keys.js';
import { CountingPipeline } from '../../../sidecar/telemetry/counting-pipeline.js';
import { chunkByWeight, spanWeight } from '../../../sidecar/telemetry/export-chunks.js';
import { buildSampler, type SamplerName } from '../../../sidecar/telemetry/sampler.js';

const span = (sampled: boolean, attributes: Record<string, unknown> = {}): ReadableSpan =>
  ({
    spanContext: () => ({
      traceId: '1'.repeat(32),
      spanId: '2'.repeat(16),
      traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    }),
    attributes,
    events: [],
    links: [],
  }) as unknown as ReadableSpan;

/** A span carrying `values` attribute values: one array attribute of values - 2 elements (see spanWeight). */
const heavy = (values: number): ReadableSpan => span(true, { a: Array.from({ length: values - 2 }, (_, i) => i) });

describe('CountingPipeline', () => {
  it('bounds the queue, counts drops, exports and failed exports', () => {
    const pipeline = new CountingPipeline(3);
    const forwarded: ReadableSpan[] = [];
    const inner: SpanProcessor = {
      onStart: () => undefined,
      onEnd: (s) => void forwarded.push(s),
      forceFlush: async () => undefined,
      shutdown: async () => undefined,
    };
    const processor = pipeline.wrapProcessor(inner);
    for (let i = 0; i < 5; i++) processor.onEnd(span(true));
    processor.onEnd(span(false)); // not sampled: neither queued nor dropped
    expect(forwarded).toHaveLength(3);
    expect(pipeline.stats).toMatchObject({ pending: 3, droppedQueueFull: 2 });

    const results: ExportResult[] = [{ code: ExportResultCode.SUCCESS }, { code: ExportResultCode.FAILED }];
    const exporter: SpanExporter = {
      export: (_s, done) => done(results.shift() as ExportResult),
      shutdown: async () => undefined,
    };
    const wrapped = pipeline.wrapExporter(exporter);
    wrapped.export(forwarded.slice(0, 2), () => undefined);
    wrapped.export(forwarded.slice(2), () => undefined);
    expect(pipeline.stats).toMatchObject({ pending: 0, exported: 2, droppedExportFailed: 1, droppedQueueFull: 2 });
  });

  it('counts an exporter that throws as a failed export', () => {
    const pipeline = new CountingPipeline(10);
    pipeline
      .wrapProcessor({
        onStart: () => undefined,
        onEnd: () => undefined,
        forceFlush: async () => undefined,
        shutdown: async () => undefined,
      })
      .onEnd(span(true));
    const codes: number[] = [];
    pipeline
      .wrapExporter({
        export: () => {
          throw new Error('boom');
        },
        shutdown: async () => undefined,
      })
      .export([span(true)], (r) => codes.push(r.code));
    expect(codes).toEqual([ExportResultCode.FAILED]);
    expect(pipeline.stats).toMatchObject({ pending: 0, droppedExportFailed: 1 });
  });
});

describe('export chunks', () => {
  it.each([
    ['no attributes', {}, 1],
    ['scalars count one each', { a: 1, b: 'x' }, 3],
    ['an array counts its elements and itself', { a: [1, 2, 3] }, 5],
  ])('spanWeight: %s', (_name, attributes, weight) => {
    expect(spanWeight(span(true, attributes))).toBe(weight);
  });

  it.each<[string, number[], number, number[]]>([
    ['a light batch stays whole', [10, 10, 10], 100, [3]],
    ['splits where the next span would pass the limit', [40, 40, 40, 40], 100, [2, 2]],
    ['a span heavier than the limit goes alone', [10, 500, 10], 100, [1, 1, 1]],
    ['exactly at the limit stays together', [50, 50], 100, [2]],
    ['nothing to export', [], 100, []],
  ])('chunkByWeight: %s', (_name, weights, limit, sizes) => {
    const spans = weights.map(heavy);
    const chunks = chunkByWeight(spans, limit);
    expect(chunks.map((c) => c.length)).toEqual(sizes);
    expect(chunks.flat()).toEqual(spans); // order kept, nothing lost
  });

  it('exports a heavy batch as several requests, one per event-loop turn, and reports once', async () => {
    const pipeline = new CountingPipeline(10);
    const processor = pipeline.wrapProcessor({
      onStart: () => undefined,
      onEnd: () => undefined,
      forceFlush: async () => undefined,
      shutdown: async () => undefined,
    });
    const spans = [heavy(60), heavy(60), heavy(60)];
    for (const s of spans) processor.onEnd(s);
    const requests: ReadableSpan[][] = [];
    const wrapped = pipeline.wrapExporter(
      {
        export: (s, done) => {
          requests.push(s);
          done({ code: ExportResultCode.SUCCESS });
        },
        shutdown: async () => undefined,
      },
      100,
    );
    const results: number[] = [];
    const finished = new Promise<void>((resolve) =>
      wrapped.export(spans, (r) => {
        results.push(r.code);
        resolve();
      }),
    );
    expect(requests).toHaveLength(1); // the rest waits for the next turn
    await finished;
    expect(requests).toEqual([[spans[0]], [spans[1]], [spans[2]]]);
    expect(results).toEqual([ExportResultCode.SUCCESS]);
    expect(pipeline.stats).toMatchObject({ pending: 0, exported: 3, droppedExportFailed: 0 });
  });

  it('fails the rest of a batch unsent when one chunk fails', async () => {
    const pipeline = new CountingPipeline(10);
    const processor = pipeline.wrapProcessor({
      onStart: () => undefined,
      onEnd: () => undefined,
      forceFlush: async () => undefined,
      shutdown: async () => undefined,
    });
    const spans = [heavy(60), heavy(60), heavy(60)];
    for (const s of spans) processor.onEnd(s);
    const outcomes = [ExportResultCode.SUCCESS, ExportResultCode.FAILED];
    let calls = 0;
    const wrapped = pipeline.wrapExporter(
      {
        export: (_s, done) => {
          calls += 1;
          done({ code: outcomes.shift() as ExportResultCode });
        },
        shutdown: async () => undefined,
      },
      100,
    );
    const result = await new Promise<ExportResult>((resolve) => wrapped.export(spans, resolve));
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(calls).toBe(2);
    expect(pipeline.stats).toMatchObject({ pending: 0, exported: 1, droppedExportFailed: 2 });
  });
});

const remote = (sampled: boolean): Context =>
  trace.setSpanContext(ROOT_CONTEXT, {
    traceId: 'f'.repeat(32),
    spanId: '1'.repeat(16),
    traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: true,
  });
const local = (sampled: boolean): Context =>
  trace.setSpanContext(ROOT_CONTEXT, {
    traceId: 'f'.repeat(32),
    spanId: '1'.repeat(16),
    traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: false,
  });
const hinted = (ctx: Context, hint: SamplingHint): Context => withSamplingHint(ctx, hint);

describe('samplers from OTEL_TRACES_SAMPLER', () => {
  const SAMPLED = SamplingDecision.RECORD_AND_SAMPLED;
  const DROP = SamplingDecision.NOT_RECORD;
  it.each<[string, SamplerName, number, Context, SamplingDecision]>([
    ['root, always on', 'parentbased_always_on', 1, ROOT_CONTEXT, SAMPLED],
    ['root, ratio 0', 'parentbased_traceidratio', 0, ROOT_CONTEXT, DROP],
    ['root, ratio 1', 'parentbased_traceidratio', 1, ROOT_CONTEXT, SAMPLED],
    ['sampled remote parent beats ratio 0', 'parentbased_traceidratio', 0, remote(true), SAMPLED],
    ['unsampled remote parent beats always on', 'parentbased_always_on', 1, remote(false), DROP],
    ['b3: 0 (deny, no ids)', 'parentbased_always_on', 1, hinted(ROOT_CONTEXT, 'deny'), DROP],
    ['X-B3-Sampled: 1 alone (accept)', 'parentbased_traceidratio', 0, hinted(ROOT_CONTEXT, 'accept'), SAMPLED],
    ['debug beats always off', 'parentbased_always_off', 1, hinted(remote(true), 'debug'), SAMPLED],
    [
      'ids without a decision: the root sampler decides',
      'parentbased_always_on',
      1,
      hinted(remote(false), 'defer'),
      SAMPLED,
    ],
    [
      'a local parent carries the decision, hints aside',
      'parentbased_always_on',
      1,
      hinted(local(false), 'accept'),
      DROP,
    ],
    ['non-parent-based ignores the parent', 'always_on', 1, remote(false), SAMPLED],
    ['always_off', 'always_off', 1, remote(true), DROP],
  ])('%s', (_name, name, ratio, ctx, expected) => {
    expect(buildSampler(name, ratio).shouldSample(ctx, 'f'.repeat(32), 'x', SpanKind.SERVER, {}, []).decision).toBe(
      expected,
    );
  });
});

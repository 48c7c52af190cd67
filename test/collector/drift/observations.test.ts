import { describe, expect, it } from 'vitest';
import { DriftSummaries } from '../../../collector/drift/drift-summaries.js';
import { resolveDriftSettings } from '../../../collector/drift/drift-settings.js';
import { RawColumns } from '../../../collector/drift/raw-columns.js';
import { SummaryAccumulator, type SummaryDelta } from '../../../collector/drift/summary-accumulator.js';
import { CategoricalSummary } from '../../../collector/drift/summaries/categorical-summary.js';
import { NumericSummary } from '../../../collector/drift/summaries/numeric-summary.js';
import type { Summary } from '../../../collector/drift/summaries/summary-codec.js';
import type { SpanRecord } from '../../../shared/span-record.js';
import { capturedSpan, type CapturedSpanSpec } from './drift-spans.js';
import { memoryDatabase } from '../support/memory-db.js';
import { createSqliteDriftStores } from '../../../collector/drift/sqlite-drift-store.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-01-10T10:00:00Z');
const settings = { bucketWidthMs: HOUR, maxFeatures: 100, maxCategories: 200 };

function accumulate(specs: CapturedSpanSpec[], s = settings): SummaryDelta[] {
  const acc = new SummaryAccumulator(s);
  for (const spec of specs) acc.addSpan(capturedSpan(spec));
  return acc.take();
}

function rawColumns(specs: CapturedSpanSpec[]): RawColumns {
  const raw = new RawColumns();
  for (const spec of specs) raw.addSpan(capturedSpan(spec).attributes);
  return raw;
}

/** What a summary holds, in numbers a reader can compare: counts, and values or categories. */
function contents(s: Summary): Record<string, unknown> {
  if (s instanceof CategoricalSummary)
    return { type: 'categorical', count: s.count, missing: s.missing, categories: Object.fromEntries(s.counts) };
  const n = s as NumericSummary;
  return {
    type: 'numeric',
    count: n.count,
    missing: n.missing,
    min: n.count > 0 ? n.min : null,
    max: n.count > 0 ? n.max : null,
    mean: n.mean,
  };
}

const byFeature = (deltas: SummaryDelta[]) => Object.fromEntries(deltas.map((d) => [d.feature, contents(d.summary)]));

describe('observations of captured spans', () => {
  it('counts one observation per row: scalars for one row, arrays for a batch; booleans are categories', () => {
    const deltas = accumulate([
      { model: 'm', version: '1', startMs: T0, inputs: { age: 30, country: 'fr', vip: true }, outputs: { score: 0.5 } },
      {
        model: 'm',
        version: '1',
        startMs: T0 + 1,
        batch: 2,
        inputs: { age: [40, 50], country: ['de', 'fr'], vip: [false, true] },
        outputs: { score: [0.1, 0.9] },
      },
    ]);
    expect(byFeature(deltas)).toEqual({
      'input.age': { type: 'numeric', count: 3, missing: 0, min: 30, max: 50, mean: 40 },
      'input.country': { type: 'categorical', count: 3, missing: 0, categories: { fr: 2, de: 1 } },
      'input.vip': { type: 'categorical', count: 3, missing: 0, categories: { true: 2, false: 1 } },
      'output.score': { type: 'numeric', count: 3, missing: 0, min: 0.1, max: 0.9, mean: 0.5 },
    });
  });

  it('counts null, NaN and a known feature absent from a span of the same side as missing, per row', () => {
    const deltas = accumulate([
      { model: 'm', startMs: T0, inputs: { age: 30, income: 1000 }, outputs: { label: 'a' } },
      {
        model: 'm',
        startMs: T0,
        batch: 3,
        inputs: { age: [null, Number.NaN, 20] },
        outputs: { label: ['a', 'b', 'b'] },
      },
      // outputs absent (an error answer): says nothing about the outputs
      { model: 'm', startMs: T0, inputs: { age: 25, income: 2000 } },
      // capture skipped: no feature at all, counts nowhere
      { model: 'm', startMs: T0 },
      // truncated capture: absent features are unknown, not missing
      { model: 'm', startMs: T0, inputs: { age: 26 }, outputs: { label: 'a' }, extra: { 'ml.capture': 'truncated' } },
    ]);
    expect(byFeature(deltas)).toEqual({
      'input.age': { type: 'numeric', count: 4, missing: 2, min: 20, max: 30, mean: 25.25 },
      'input.income': { type: 'numeric', count: 2, missing: 3, min: 1000, max: 2000, mean: 1500 },
      'output.label': { type: 'categorical', count: 5, missing: 0, categories: { a: 3, b: 2 } },
    });
  });

  it('gives a bucket whose values changed type to the majority type, counting the others as missing', () => {
    const deltas = accumulate([1, 2, 'x', 3].map((v) => ({ model: 'm', startMs: T0, inputs: { code: v } })));
    expect(byFeature(deltas)).toEqual({
      'input.code': { type: 'numeric', count: 3, missing: 1, min: 1, max: 3, mean: 2 },
    });
  });

  it('keys summaries by model (else service name), version and start-time bucket', () => {
    const deltas = accumulate([
      { model: 'm', version: '1', startMs: T0 + 10, inputs: { x: 1 } },
      { model: 'm', version: '1', startMs: T0 + HOUR - 1, inputs: { x: 2 } },
      { model: 'm', version: '1', startMs: T0 + HOUR, inputs: { x: 3 } },
      { model: 'm', version: '2', startMs: T0, inputs: { x: 4 } },
      { serviceName: 'mlflow-svc', startMs: T0, inputs: { x: 5 } },
    ]);
    const keys = deltas.map((d) => [d.model, d.version, d.bucketMs, d.summary.count]).sort();
    expect(keys).toEqual(
      [
        ['m', '1', T0, 2],
        ['m', '1', T0 + HOUR, 1],
        ['m', '2', T0, 1],
        ['mlflow-svc', '', T0, 1],
      ].sort(),
    );
    expect(deltas.every((d) => d.widthMs === HOUR)).toBe(true);
  });

  it('tracks at most maxFeatures features per model and version, counting the rest', () => {
    const acc = new SummaryAccumulator({ ...settings, maxFeatures: 2 });
    acc.addSpan(capturedSpan({ model: 'm', startMs: T0, inputs: { a: 1, b: 2, c: 3 } }));
    expect(
      acc
        .take()
        .map((d) => d.feature)
        .sort(),
    ).toEqual(['input.a', 'input.b']);
    expect(acc.stats.ignoredFeatures).toBe(1);
  });

  it('agrees with the raw columns of the same spans', () => {
    const specs: CapturedSpanSpec[] = [
      { model: 'm', startMs: T0, batch: 2, inputs: { age: [30, null], plan: ['a', 'b'] }, outputs: { p: [0.2, 0.4] } },
      { model: 'm', startMs: T0, inputs: { age: 41 }, outputs: { p: 0.7 } },
      { model: 'm', startMs: T0, inputs: { plan: 'c' }, outputs: { p: 0.1 } },
    ];
    const deltas = byFeature(accumulate(specs));
    const raw = rawColumns(specs);
    for (const [feature, cells] of raw.cells) {
      const summary =
        typeof cells.find((c) => c !== null) === 'number'
          ? NumericSummary.fromValues(cells as (number | null)[])
          : CategoricalSummary.fromValues(cells as (string | null)[]);
      expect(contents(summary)).toEqual(deltas[feature]);
    }
    expect(raw.observations).toBe(4);
  });

  it('back-fills, in raw columns, a feature that first appears in a later span', () => {
    const raw = rawColumns([
      { model: 'm', startMs: T0, batch: 2, inputs: { a: [1, 2] } },
      { model: 'm', startMs: T0, inputs: { a: 3, b: 'x' } },
    ]);
    expect(Object.fromEntries(raw.cells)).toEqual({ 'input.a': [1, 2, 3], 'input.b': [null, null, 'x'] });
  });
});

describe('DriftSummaries (the listener)', () => {
  const spans = (): SpanRecord[] => [
    capturedSpan({ model: 'm', startMs: T0, inputs: { x: 1 } }),
    capturedSpan({ model: 'm', startMs: T0, inputs: { x: 2 }, kind: 'CLIENT' }),
  ];

  it('observes SERVER spans only, ignores a retried batch, and flushes into the store merged with what is there', () => {
    const store = createSqliteDriftStores(memoryDatabase()).summaries;
    const listener = new DriftSummaries(store, resolveDriftSettings());
    const batch = spans();
    listener.onSpans(batch);
    listener.onSpans(batch);
    expect(listener.flush()).toBe(true);
    listener.onSpans([capturedSpan({ model: 'm', startMs: T0, inputs: { x: 5 } })]);
    listener.flush();
    const rows = store.read({ model: 'm', fromMs: T0, toMs: T0 + HOUR });
    expect(rows.map((r) => contents(r.summary))).toEqual([
      { type: 'numeric', count: 2, missing: 0, min: 1, max: 5, mean: 3 },
    ]);
    expect(listener.stats()).toMatchObject({ spans: 2, duplicates: 1, flushes: 2 });
  });

  it('keeps the deltas of a failed flush for the next one', () => {
    const store = createSqliteDriftStores(memoryDatabase()).summaries;
    let fail = true;
    const flaky = {
      ...store,
      merge: (d: Parameters<typeof store.merge>[0]) =>
        fail
          ? (() => {
              throw new Error('disk full');
            })()
          : store.merge(d),
    };
    const errors: unknown[] = [];
    const listener = new DriftSummaries(flaky, resolveDriftSettings(), (e) => errors.push(e));
    listener.onSpans(spans());
    expect(listener.flush()).toBe(false);
    fail = false;
    expect(listener.flush()).toBe(true);
    expect(store.read({ model: 'm', fromMs: T0, toMs: T0 + HOUR }).map((r) => r.summary.count)).toEqual([1]);
    expect(errors).toHaveLength(1);
    expect(listener.stats().flushFailures).toBe(1);
  });

  it('counts a feature known from stored summaries (after a restart) as missing when absent', () => {
    const store = createSqliteDriftStores(memoryDatabase()).summaries;
    const first = new DriftSummaries(store, resolveDriftSettings());
    first.onSpans([capturedSpan({ model: 'm', startMs: T0, inputs: { x: 1, y: 2 } })]);
    first.stop();
    const second = new DriftSummaries(store, resolveDriftSettings());
    expect(second.preload(T0 - HOUR)).toBe(2);
    second.onSpans([capturedSpan({ model: 'm', startMs: T0 + 5, inputs: { x: 3 } })]);
    second.flush();
    const y = store.read({ model: 'm', fromMs: T0, toMs: T0 + HOUR }).find((r) => r.feature === 'input.y');
    expect(y && contents(y.summary)).toEqual({ type: 'numeric', count: 1, missing: 1, min: 2, max: 2, mean: 2 });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driftReport } from '../../../collector/drift/report/drift-report.js';
import { binContains } from '../../../collector/drift/report/moved-bins.js';
import type { SpanRecord } from '../../../shared/span-record.js';
import { seeded } from '../support/seeded.js';
import { capturedSpan } from './drift-spans.js';
import { startDriftApp, type DriftApp } from './drift-app.js';

/**
 * GET /api/drift over real spans in a real SQLite store: a window finer than a bucket is computed
 * from raw values, exactly as driftReport computes it from the same values; exemplars fall in the
 * moved bins; slices split the report. One feature (`x`) shifts between the two phases.
 */
const T0 = Date.parse('2026-01-10T10:00:00Z'); // phase 1: [T0, T0+60 s), phase 2: [T0+60 s, T0+120 s)
const N = 300;

function phase(
  offsetMs: number,
  shift: number,
  seed: number,
): { spans: SpanRecord[]; x: number[]; y: number[]; c: string[] } {
  const r = seeded(seed);
  const x: number[] = [];
  const y: number[] = [];
  const c: string[] = [];
  const spans: SpanRecord[] = [];
  for (let i = 0; i < N; i++) {
    const xi = Math.round(r.normal(shift, 1) * 1000) / 1000;
    const yi = Math.round(r.normal(5, 2) * 1000) / 1000;
    const ci = r.uniform() < 0.5 ? 'fr' : 'de';
    x.push(xi);
    y.push(yi);
    c.push(ci);
    spans.push(
      capturedSpan({
        model: 'm',
        version: i % 3 === 0 ? '2' : '1',
        startMs: T0 + offsetMs + Math.floor((i * 60_000) / N),
        requestId: `p${offsetMs}-${i}`,
        inputs: { x: xi, y: yi, country: ci },
        extra: { region: i % 2 === 0 ? 'eu' : 'us' },
      }),
    );
  }
  return { spans, x, y, c };
}

let app: DriftApp;
const first = phase(0, 0, 1);
const second = phase(60_000, 1.5, 2);
const window = (a: number, b: number): string => `start=${T0 + a}&end=${T0 + b}`;
const reference = `reference=window:${T0}/${T0 + 60_000}`;

beforeAll(async () => {
  app = await startDriftApp({ settings: { flushIntervalMs: 60_000 } });
  await app.store.writeSpans([...first.spans, ...second.spans]);
});
afterAll(() => app.close());

describe('GET /api/drift', () => {
  it('flags exactly the shifted feature, with the statistics driftReport gives for the raw values', async () => {
    const { status, body } = await app.get(`/api/drift?model=m&${window(60_000, 120_000)}&${reference}&exemplars=4`);
    expect(status).toBe(200);
    const expected = driftReport({
      reference: {
        'input.x': { type: 'numeric', values: first.x },
        'input.y': { type: 'numeric', values: first.y },
        'input.country': { type: 'categorical', values: first.c },
      },
      current: {
        'input.x': { type: 'numeric', values: second.x },
        'input.y': { type: 'numeric', values: second.y },
        'input.country': { type: 'categorical', values: second.c },
      },
    });
    expect(body.features.map((f: any) => [f.name, f.drifted, f.exact])).toEqual(
      expected.features.map((f) => [f.name, f.drifted, true]),
    );
    expect(body.features.filter((f: any) => f.drifted).map((f: any) => f.name)).toEqual(['input.x']);
    for (const f of expected.features) {
      const got = body.features.find((g: any) => g.name === f.name);
      expect({ name: f.name, statistic: got.statistic, pValue: got.pValue, bins: got.topMovedBins }).toEqual({
        name: f.name,
        statistic: f.statistic,
        pValue: f.pValue ?? null,
        bins: f.topMovedBins,
      });
    }
    expect(body).toMatchObject({
      model: 'm',
      version: null,
      datasetDrift: expected.datasetDrift,
      driftedCount: 1,
      evaluatedCount: 3,
      reference: { kind: 'window', from: 'query', start: T0, end: T0 + 60_000 },
      data: {
        current: { observations: N, rawSpans: N, summaryRows: 0, complete: true },
        reference: { observations: N },
      },
    });
  });

  it('gives exemplar requests of the current window whose value falls in a bin that gained share', async () => {
    const { body } = await app.get(`/api/drift?model=m&${window(60_000, 120_000)}&${reference}&exemplars=4`);
    const x = body.features.find((f: any) => f.name === 'input.x');
    expect(x.exemplars).toHaveLength(4);
    const byRequest = new Map(second.spans.map((s) => [s.attributes['ml.request.id'], s]));
    for (const e of x.exemplars) {
      const span = byRequest.get(e.requestId)!;
      expect(e.traceId).toBe(span.traceId);
      expect(e.value).toBe(span.attributes['ml.input.x']);
      expect(x.topMovedBins[e.bin].delta).toBeGreaterThan(0);
      expect(binContains(x.topMovedBins[e.bin], e.value)).toBe(true);
    }
    expect(body.features.filter((f: any) => f.name !== 'input.x').every((f: any) => f.exemplars.length === 0)).toBe(
      true,
    );
  });

  it('compares with the previous window of the same length by default', async () => {
    const { body } = await app.get(`/api/drift?model=m&${window(60_000, 120_000)}&exemplars=0`);
    expect(body.reference).toEqual({ kind: 'previous', from: 'stored', start: T0, end: T0 + 60_000 });
    expect(body.features.filter((f: any) => f.drifted).map((f: any) => f.name)).toEqual(['input.x']);
  });

  it('reports one version when asked', async () => {
    const { body } = await app.get(`/api/drift?model=m&version=2&${window(60_000, 120_000)}&${reference}`);
    expect(body.version).toBe('2');
    expect(body.data.current.observations).toBe(N / 3);
  });

  it('splits by a slice key, each slice against the same slice of the reference', async () => {
    const { body } = await app.get(
      `/api/drift?model=m&${window(60_000, 120_000)}&${reference}&slice=region&exemplars=1`,
    );
    expect(body.slices.key).toBe('region');
    expect(body.slices.values.map((s: any) => [s.value, s.observations, s.referenceObservations])).toEqual([
      ['eu', N / 2, N / 2],
      ['us', N / 2, N / 2],
    ]);
    for (const s of body.slices.values) {
      expect(s.features.filter((f: any) => f.drifted).map((f: any) => f.name)).toEqual(['input.x']);
      const e = s.features.find((f: any) => f.name === 'input.x').exemplars[0];
      const span = second.spans.find((sp) => sp.attributes['ml.request.id'] === e.requestId)!;
      expect(span.attributes.region).toBe(s.value);
    }
  });

  it('compares a canary version with the stable one over the same window: slice=ml.model.version&reference=slice:stable', async () => {
    const r = seeded(3);
    const spans = Array.from({ length: 400 }, (_, i) => {
      const canary = i % 4 === 0;
      return capturedSpan({
        model: 'canaried',
        version: canary ? 'canary' : 'stable',
        startMs: T0 + i * 100,
        requestId: `k-${i}`,
        inputs: { x: Math.round(r.normal(0, 1) * 1000) / 1000 },
        outputs: { score: Math.round(r.normal(canary ? 0.7 : 0.4, 0.1) * 1000) / 1000 },
      });
    });
    await app.store.writeSpans(spans);
    const { status, body } = await app.get(
      `/api/drift?model=canaried&${window(0, 40_000)}&slice=ml.model.version&reference=slice:stable&exemplars=2`,
    );
    expect(status).toBe(200);
    expect(body.reference).toEqual({ kind: 'slice', from: 'query', value: 'stable' });
    expect(body.slices.values.map((v: any) => [v.value, v.observations, v.referenceObservations])).toEqual([
      ['canary', 100, 300],
    ]);
    const [canary] = body.slices.values;
    expect(canary.features.filter((f: any) => f.drifted).map((f: any) => f.name)).toEqual(['output.score']);
    // The overall report compares every other slice together with the reference slice: here, the canary.
    expect(body.features.filter((f: any) => f.drifted).map((f: any) => f.name)).toEqual(['output.score']);
    const e = canary.features.find((f: any) => f.name === 'output.score').exemplars;
    expect(
      e.map(
        (x: any) => spans.find((s) => s.attributes['ml.request.id'] === x.requestId)?.attributes['ml.model.version'],
      ),
    ).toEqual(['canary', 'canary']);
    const missing = await app.get(
      `/api/drift?model=canaried&${window(0, 40_000)}&slice=ml.model.version&reference=slice:9`,
    );
    expect(missing).toMatchObject({ status: 404, body: { error: { code: 'reference_not_found' } } });
    expect(missing.body.error.message).toMatch(/values seen: .*stable/);
  });
});

describe('GET /api/drift errors', () => {
  it.each([
    ['/api/drift?model=m&colour=red', 400, 'unknown_parameter', /unknown query parameter "colour"/],
    ['/api/drift', 400, 'invalid_parameter', /model is required/],
    ['/api/drift?model=m&window=soon', 400, 'invalid_parameter', /window must be a duration/],
    [
      `/api/drift?model=nobody&${window(0, 1000)}`,
      404,
      'no_observations',
      /no captured inputs or outputs of model "nobody"/,
    ],
    [`/api/drift?model=m&reference=training&${window(0, 1000)}`, 404, 'reference_not_found', /has no training profile/],
  ])('%s → %i %s', async (path, status, code, message) => {
    const { status: s, body } = await app.get(path);
    expect({ s, code: body.error.code }).toEqual({ s: status, code });
    expect(body.error.message).toMatch(message);
  });
});

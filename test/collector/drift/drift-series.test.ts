import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpanRecord } from '../../../shared/span-record.js';
import { seeded } from '../support/seeded.js';
import { capturedSpan } from './drift-spans.js';
import { startDriftApp, type DriftApp } from './drift-app.js';

/**
 * GET /api/drift/series (the drift of each step of a range, for the console's charts) and the
 * `bins` parameter of GET /api/drift, over real spans in SQLite. `x` shifts after the first minute.
 */
const T0 = Date.parse('2026-01-10T10:00:00Z');
const N = 240;

function phase(offsetMs: number, shift: number, seed: number): SpanRecord[] {
  const r = seeded(seed);
  return Array.from({ length: N }, (_, i) =>
    capturedSpan({
      model: 'm',
      version: '1',
      startMs: T0 + offsetMs + Math.floor((i * 60_000) / N),
      requestId: `s${offsetMs}-${i}`,
      inputs: { x: Math.round(r.normal(shift, 1) * 1000) / 1000, country: r.uniform() < 0.5 ? 'fr' : 'de' },
    }),
  );
}

let app: DriftApp;
const reference = `reference=window:${T0}/${T0 + 60_000}`;

beforeAll(async () => {
  app = await startDriftApp({ settings: { flushIntervalMs: 60_000 } });
  await app.store.writeSpans([...phase(0, 0, 11), ...phase(60_000, 2, 12)]);
});
afterAll(() => app.close());

describe('GET /api/drift/series', () => {
  it('gives one point per step, each equal to the drift report of that step', async () => {
    const { status, body } = await app.get(
      `/api/drift/series?model=m&start=${T0}&end=${T0 + 120_000}&step=30s&${reference}`,
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({
      model: 'm',
      start: T0,
      end: T0 + 120_000,
      step: 30_000,
      reference: { kind: 'window' },
    });
    expect(body.features.map((f: { name: string }) => f.name)).toEqual(['input.country', 'input.x']);
    const x = body.features.find((f: { name: string }) => f.name === 'input.x');
    expect(x.points).toHaveLength(4);
    for (const [i, point] of x.points.entries()) {
      const one = await app.get(
        `/api/drift?model=m&start=${T0 + i * 30_000}&end=${T0 + (i + 1) * 30_000}&${reference}&exemplars=0`,
      );
      const feature = one.body.features.find((f: { name: string }) => f.name === 'input.x');
      expect(point).toEqual({
        start: T0 + i * 30_000,
        end: T0 + (i + 1) * 30_000,
        observations: feature.current.count,
        statistic: feature.statistic,
        pValue: feature.pValue,
        drifted: feature.drifted,
        evaluated: true,
        missingRate: 0,
      });
    }
    expect(x.points.map((p: { drifted: boolean }) => p.drifted)).toEqual([false, false, true, true]);
    expect(body.datasetDrift.map((d: { start: number }) => d.start)).toEqual([0, 1, 2, 3].map((i) => T0 + i * 30_000));
  });

  it('answers null points for steps without observations, and one feature when asked', async () => {
    const { status, body } = await app.get(
      `/api/drift/series?model=m&start=${T0 - 60_000}&end=${T0 + 60_000}&step=1m&${reference}&feature=input.x`,
    );
    expect(status).toBe(200);
    expect(body.features).toHaveLength(1);
    expect(body.features[0].points[0]).toBeNull();
    expect(body.features[0].points[1]).toMatchObject({ drifted: false, observations: N });
    expect(body.datasetDrift[0]).toBeNull();
  });

  it.each([
    ['step=0s', 'step must be a duration of at least 1s'],
    ['step=soon', 'step must be a duration'],
    [`start=${T0}&end=${T0 + 86_400_000}&step=1m`, 'at most 500 are allowed'],
    ['feature=input.nothing', 'feature "input.nothing" was not observed'],
    ['slice=ml.model.version', 'slice'],
  ])('refuses %s with a message that says what to fix', async (params, message) => {
    const base = params.includes('start=')
      ? ''
      : `start=${T0}&end=${T0 + 120_000}&${params.includes('step=') ? '' : 'step=30s&'}`;
    const { status, body } = await app.get(`/api/drift/series?model=m&${base}${params}`);
    expect(status).toBe(400);
    expect(body.error.code).toBe(params.startsWith('slice=') ? 'unknown_parameter' : 'invalid_parameter');
    expect(body.error.message).toContain(message);
  });
});

describe('GET /api/drift?bins=', () => {
  it('lists every bin with bins=100, the shares of each side adding up to one', async () => {
    const { status, body } = await app.get(
      `/api/drift?model=m&start=${T0 + 60_000}&end=${T0 + 120_000}&${reference}&bins=100`,
    );
    expect(status).toBe(200);
    const x = body.features.find((f: { name: string }) => f.name === 'input.x');
    expect(x.topMovedBins.length).toBeGreaterThan(3);
    const sum = (k: 'referenceShare' | 'currentShare') =>
      x.topMovedBins.reduce((a: number, b: Record<string, number>) => a + b[k]!, 0);
    expect(sum('referenceShare')).toBeCloseTo(1, 9);
    expect(sum('currentShare')).toBeCloseTo(1, 9);
    const three = await app.get(`/api/drift?model=m&start=${T0 + 60_000}&end=${T0 + 120_000}&${reference}`);
    expect(three.body.features.find((f: { name: string }) => f.name === 'input.x').topMovedBins).toHaveLength(3);
  });

  it('refuses bins over 100', async () => {
    const { status, body } = await app.get(`/api/drift?model=m&${reference}&bins=101`);
    expect(status).toBe(400);
    expect(body.error.message).toContain('bins must be a whole number from 0 to 100');
  });
});

describe('GET /api/drift/series over whole summary buckets', () => {
  // Recent hours are summarised at ingest: hourly steps then come from one read of the summaries.
  const H = Math.floor(Date.now() / 3_600_000) * 3_600_000;
  let recent: DriftApp;
  beforeAll(async () => {
    recent = await startDriftApp();
    const r = seeded(5);
    const spans = [0, 1, 2].flatMap((h) =>
      Array.from({ length: 100 }, (_, i) =>
        capturedSpan({
          model: 'w',
          version: '1',
          startMs: H - (3 - h) * 3_600_000 + i * 30_000,
          inputs: { x: Math.round(r.normal(h === 2 ? 3 : 0, 1) * 100) / 100 },
        }),
      ),
    );
    await recent.store.writeSpans(spans);
  });
  afterAll(() => recent.close());

  it('gives each hour the drift report of that hour against the hour before', async () => {
    const { status, body } = await recent.get(
      `/api/drift/series?model=w&start=${H - 2 * 3_600_000}&end=${H}&step=1h&reference=previous`,
    );
    expect(status).toBe(200);
    const x = body.features.find((f: { name: string }) => f.name === 'input.x');
    expect(x.points).toHaveLength(2);
    for (const [i, point] of x.points.entries()) {
      const start = H - (2 - i) * 3_600_000;
      const one = await recent.get(
        `/api/drift?model=w&start=${start}&end=${start + 3_600_000}&reference=previous&exemplars=0`,
      );
      const feature = one.body.features.find((f: { name: string }) => f.name === 'input.x');
      expect(one.body.data.current.summaryRows).toBeGreaterThan(0);
      expect(point).toMatchObject({
        observations: 100,
        statistic: feature.statistic,
        pValue: feature.pValue,
        drifted: feature.drifted,
      });
    }
    expect(x.points.map((p: { drifted: boolean }) => p.drifted)).toEqual([false, true]);
  });
});

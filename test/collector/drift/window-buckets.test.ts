import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driftReport } from '../../../collector/drift/report/drift-report.js';
import type { SpanRecord } from '../../../shared/span-record.js';
import { seeded } from '../support/seeded.js';
import { capturedSpan } from './drift-spans.js';
import { startDriftApp, type DriftApp } from './drift-app.js';

/**
 * A window wider than a bucket: whole buckets come from the stored summaries, the edges from raw
 * spans. Integer-valued features make the summaries hold the exact distribution, so every
 * statistic must equal the raw-value one.
 */
const MINUTE = 60_000;
const T0 = Date.parse('2026-01-10T10:00:00Z');
const r = seeded(11);
const spans: SpanRecord[] = [];
for (let i = 0; i < 1200; i++) {
  const t = T0 + i * 500; // 10 minutes, 2 spans a second
  const late = t >= T0 + 5 * MINUTE;
  spans.push(
    capturedSpan({
      model: 'b',
      startMs: t,
      batch: 2,
      inputs: {
        n: [Math.round(r.normal(late ? 12 : 10, 3)), Math.round(r.normal(late ? 12 : 10, 3))],
        k: [r.uniform() < 0.3 ? 'a' : 'b', 'b'],
      },
    }),
  );
}
const inWindow = (a: number, b: number) =>
  spans.filter((s) => s.startTimeUnixNano >= BigInt(a) * 1_000_000n && s.startTimeUnixNano < BigInt(b) * 1_000_000n);
const values = (list: SpanRecord[], key: string) => list.flatMap((s) => s.attributes[key] as (number | string)[]);

let app: DriftApp;
beforeAll(async () => {
  // The clock is pinned near the data: summary retention (30 days) counts from it.
  app = await startDriftApp({
    settings: { bucketWidthMs: MINUTE, flushIntervalMs: 3_600_000, maxRawSpans: 10_000 },
    clock: () => T0 + 20 * MINUTE,
  });
  for (let i = 0; i < spans.length; i += 100) await app.store.writeSpans(spans.slice(i, i + 100));
});
afterAll(() => app.close());

describe('windows of whole buckets and raw edges', () => {
  it('reads whole buckets from summaries and the edges from spans, with the raw-value statistics', async () => {
    const cur = [T0 + 5 * MINUTE + 30_000, T0 + 9 * MINUTE + 15_000] as const;
    const ref = [T0 + 15_000, T0 + 4 * MINUTE + 45_000] as const;
    const { status, body } = await app.get(
      `/api/drift?model=b&start=${cur[0]}&end=${cur[1]}&reference=window:${ref[0]}/${ref[1]}`,
    );
    expect(status).toBe(200);
    const current = inWindow(...cur);
    const reference = inWindow(...ref);
    expect(body.data.current).toEqual({
      start: cur[0],
      end: cur[1],
      observations: 2 * current.length,
      summaryRows: 3 * 2,
      rawSpans: inWindow(cur[0], T0 + 6 * MINUTE).length + inWindow(T0 + 9 * MINUTE, cur[1]).length,
      complete: true,
    });
    const expected = driftReport({
      reference: {
        'input.n': { type: 'numeric', values: values(reference, 'ml.input.n') as number[] },
        'input.k': { type: 'categorical', values: values(reference, 'ml.input.k') as string[] },
      },
      current: {
        'input.n': { type: 'numeric', values: values(current, 'ml.input.n') as number[] },
        'input.k': { type: 'categorical', values: values(current, 'ml.input.k') as string[] },
      },
    });
    for (const f of expected.features) {
      const got = body.features.find((g: any) => g.name === f.name);
      expect([got.current.count, got.reference.count, got.method, got.drifted]).toEqual([
        f.current.count,
        f.reference.count,
        f.method,
        f.drifted,
      ]);
      for (const [name, value] of Object.entries(f.statistics)) expect(got.statistics[name]).toBeCloseTo(value, 9);
    }
    expect(body.features.find((g: any) => g.name === 'input.n').drifted).toBe(true);
  });

  it('includes spans not yet flushed (the service flushes before reading)', async () => {
    const extra = capturedSpan({ model: 'b', startMs: T0 + 11 * MINUTE + 5, inputs: { n: 99, k: 'z' } });
    await app.store.writeSpans([extra]);
    const { body } = await app.get(
      `/api/drift?model=b&start=${T0 + 10 * MINUTE}&end=${T0 + 12 * MINUTE}&reference=window:${T0}/${T0 + 10 * MINUTE}`,
    );
    expect(body.data.current).toMatchObject({ observations: 1, summaryRows: 2, rawSpans: 0 });
    const k = body.features.find((g: any) => g.name === 'input.k');
    expect(k.flags).toContainEqual({ kind: 'new_category', categories: ['z'] });
  });

  it('says when raw reads were cut at maxRawSpans', async () => {
    const small = await startDriftApp({ settings: { maxRawSpans: 50 } });
    try {
      await small.store.writeSpans(spans.slice(0, 200));
      const { body } = await small.get(`/api/drift?model=b&start=${T0 + 50_000}&end=${T0 + 100_000}&exemplars=0`);
      expect(body.data.current).toMatchObject({ rawSpans: 50, complete: false, observations: 100 });
      expect(body.notes.join(' ')).toMatch(/more than 50 spans/);
    } finally {
      await small.close();
    }
  });
});

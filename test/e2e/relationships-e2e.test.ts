import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCollectorConfig } from '../../collector/config.js';
import { startCollector, type RunningCollector } from '../../collector/main.js';
import type { SidecarHandle } from '../../sidecar/main.js';
import { seeded } from '../collector/support/seeded.js';
import { startCapturingSidecar } from '../sidecar/support/sidecar-harness.js';
import { sigmoid, startPhasedModel, type PhasedModel } from './support/phased-model.js';

/*
 * End to end: client → real sidecar (payload capture) → a test model p = σ(w·x + 0.5·z) on loopback;
 * spans over OTLP/HTTP → the real, fully composed collector (SQLite in a temp dir); labels through
 * POST /api/feedback. Four phases of the same number of requests:
 *   base      w = +2 over a set of rows symmetric in x (each (x, z) also as (−x, z));
 *   reversed  w = −2 over the same rows: every input and output keeps its distribution exactly,
 *             only the effect of x on the prediction reverses (scenario a);
 *   shifted   w = +2, x squeezed towards 0: the model is less sure, so the estimated accuracy drops
 *             before any label; labels drawn from the model's own probabilities then confirm it
 *             (scenario b);
 *   concept   w = +2 over the base rows (the same estimate), but the world now answers with −x:
 *             labels drawn from σ(−2x + 0.5z) — realised accuracy falls outside the interval (c).
 */
const N = 200;
const CONCURRENCY = 8;
const MODEL = 'phased';
const random = seeded(17);

let dir: string;
let model: PhasedModel;
let collector: RunningCollector;
let sidecar: SidecarHandle;
type Phase = { start: number; end: number; rows: [number, number][] };
const phases: Record<string, Phase> = {};

const round = (v: number): number => Math.round(v * 1e4) / 1e4;
const half = Array.from({ length: N / 2 }, () => [round(random.normal()), round(random.normal())] as [number, number]);
const symmetric: [number, number][] = half.flatMap(
  ([x, z]) =>
    [
      [x, z],
      [-x, z],
    ] as [number, number][],
);

async function phase(name: string, rows: [number, number][]): Promise<void> {
  const start = Date.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < rows.length) {
      const i = next++;
      const [x, z] = rows[i]!;
      const tensor = (n: string, v: number) => ({ name: n, shape: [1], datatype: 'FP64', data: [v] });
      const res = await fetch(`${sidecar.url}/v2/models/${MODEL}/versions/1/infer`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': `${name}-${i}` },
        body: JSON.stringify({ inputs: [tensor('x', x), tensor('z', z)] }),
      });
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  phases[name] = { start, end: Date.now() + 1, rows };
  await new Promise((r) => setTimeout(r, 5)); // phases never share a millisecond
}

async function api(path: string): Promise<any> {
  const res = await fetch(`${collector.url}${path}`);
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(200);
  return body;
}

/** Labels for a phase, each drawn as Bernoulli(truth(x, z)). */
async function sendLabels(name: string, truth: (x: number, z: number) => number): Promise<void> {
  const items = phases[name]!.rows.map(([x, z], i) => ({
    request_id: `${name}-${i}`,
    label: random.uniform() < truth(x, z) ? 1 : 0,
  }));
  const res = await fetch(`${collector.url}/api/feedback`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(items),
  });
  const body = (await res.json()) as { joined: number };
  expect(body.joined).toBe(N);
}

const window = (name: string): string => `start=${phases[name]!.start}&end=${phases[name]!.end}`;
const against = (name: string): string => `reference=window:${phases[name]!.start}/${phases[name]!.end}`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'infertrace-relationships-e2e-'));
  model = await startPhasedModel(MODEL);
  collector = await startCollector(
    readCollectorConfig({ host: '127.0.0.1', port: '0', db: join(dir, 'spans.db'), 'log-level': 'silent' }, {}),
  );
  await collector.opening.opened();
  sidecar = await startCapturingSidecar(model.url, collector.url, 'phased-sidecar');
  await phase('base', symmetric);
  model.setWeight(-2);
  await phase('reversed', [...symmetric].reverse());
  model.setWeight(2);
  await phase(
    'shifted',
    symmetric.map(([x, z]) => [round(x / 8), z]),
  );
  await phase('concept', symmetric);
  await sidecar.close(); // drains and flushes every span to the collector
}, 120_000);

afterAll(async () => {
  await Promise.allSettled([sidecar?.close(), model?.close()]);
  await collector?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('(a) a reversed effect with unchanged distributions', () => {
  it('is not distribution drift: no feature drifted, every statistic 0', async () => {
    const drift = await api(`/api/drift?model=${MODEL}&${window('reversed')}&${against('base')}`);
    expect(drift.data.current.observations).toBe(N);
    expect(drift.features.map((f: any) => f.name)).toEqual([
      'input.x',
      'input.z',
      'output.label',
      'output.probability',
    ]);
    expect(drift.features.filter((f: any) => f.drifted)).toEqual([]);
    for (const f of drift.features) expect(f.statistic).toBe(0);
  });

  it('is relationship drift: the pairs of x are flagged with r reversed, those of z are not', async () => {
    const rel = await api(`/api/relationships?model=${MODEL}&${window('reversed')}&${against('base')}&exemplars=2`);
    const pair = (input: string, output: string) =>
      rel.pairs.find((p: any) => p.input === input && p.output === output);
    expect(
      rel.pairs
        .filter((p: any) => p.flagged)
        .map((p: any) => `${p.input}→${p.output}`)
        .sort(),
    ).toEqual(['input.x→output.label', 'input.x→output.probability']);
    const xp = pair('input.x', 'output.probability');
    expect(xp).toMatchObject({ kind: 'numeric', measure: 'pearson_r', test: { method: 'fisher_z' } });
    expect(xp.reference.value).toBeGreaterThan(0.8);
    expect(xp.current.value).toBeCloseTo(-xp.reference.value, 10);
    expect(xp.test.pValue).toBeLessThan(1e-10);
    expect(pair('input.z', 'output.probability').change).toBeCloseTo(0, 12);
    expect(pair('input.z', 'output.probability').test.pValue).toBeCloseTo(1, 9);
    // Exemplars: requests of the reversed phase that open as traces.
    for (const e of xp.exemplars) {
      expect(e.requestId).toMatch(/^reversed-\d+$/);
      const found = await api(`/api/requests/${e.requestId}`);
      expect(found.traces.map((t: any) => t.traceId)).toContain(e.traceId);
    }
  });

  it('gives the per-step values a chart draws, flipping between the phases', async () => {
    const step = Math.ceil((phases['reversed']!.end - phases['base']!.start) / 2);
    const rel = await api(
      `/api/relationships?model=${MODEL}&start=${phases['base']!.start}&end=${phases['base']!.start + 2 * step}&step=${step}ms&${against('base')}`,
    );
    const series = rel.pairs.find((p: any) => p.input === 'input.x' && p.output === 'output.probability').series;
    expect(series).toHaveLength(2);
    expect(series.reduce((n: number, s: any) => n + s.count, 0)).toBe(2 * N);
  });
});

describe('(b) a covariate shift lowers the estimated accuracy before labels, and labels confirm it', () => {
  let before: any;
  beforeAll(async () => {
    before = await api(`/api/models/${MODEL}/estimated-performance?${window('shifted')}&${against('base')}`);
    await sendLabels('base', (x, z) => sigmoid(2 * x + 0.5 * z));
    await sendLabels('shifted', (x, z) => sigmoid(2 * x + 0.5 * z));
  });

  it('estimates a lower accuracy from the probabilities alone', async () => {
    const base = await api(`/api/models/${MODEL}/estimated-performance?${window('base')}&${against('base')}`);
    expect(before).toMatchObject({ output: 'output.probability', kind: 'binary' });
    expect(before.overall.labelled.count).toBe(0);
    expect(before.overall.estimated.count).toBe(N);
    expect(before.overall.estimated.high).toBeLessThan(base.overall.estimated.low);
    const shifted = phases['shifted']!.rows.map(([x, z]) =>
      Math.max(sigmoid(2 * x + 0.5 * z), 1 - sigmoid(2 * x + 0.5 * z)),
    );
    expect(before.overall.estimated.accuracy).toBeCloseTo(shifted.reduce((a, b) => a + b) / N, 5);
  });

  it('sees the labels confirm the estimate: realised accuracy lower, inside the interval, no concept drift', async () => {
    const after = await api(`/api/models/${MODEL}/estimated-performance?${window('shifted')}&${against('base')}`);
    const base = await api(`/api/models/${MODEL}/estimated-performance?${window('base')}&${against('base')}`);
    expect(after.overall.labelled.count).toBe(N);
    expect(after.overall.labelled.realised).toBeLessThan(base.overall.labelled.realised);
    expect(after.overall.labelled.realised).toBeGreaterThanOrEqual(after.overall.labelled.expected.low);
    expect(after.overall.labelled.realised).toBeLessThanOrEqual(after.overall.labelled.expected.high);
    expect(after.overall.conceptDrift).toBe(false);
    expect(after.calibration.labelled).toBe(N);
    expect(after.calibration.ece).toBeLessThan(0.1);
  });
});

describe('(c) concept drift: the estimate stays, realised accuracy drops outside the interval', () => {
  it('flags concept drift', async () => {
    const before = await api(`/api/models/${MODEL}/estimated-performance?${window('concept')}&${against('base')}`);
    await sendLabels('concept', (x, z) => sigmoid(-2 * x + 0.5 * z));
    const after = await api(
      `/api/models/${MODEL}/estimated-performance?${window('concept')}&${against('base')}&step=1h`,
    );
    const base = await api(`/api/models/${MODEL}/estimated-performance?${window('base')}&${against('base')}`);
    expect(before.overall.estimated.accuracy).toBeCloseTo(base.overall.estimated.accuracy, 6);
    expect(after.overall.labelled.realised).toBeLessThan(after.overall.labelled.expected.low);
    expect(after.overall.conceptDrift).toBe(true);
    expect(after.series).toHaveLength(1);
    expect(after.series[0].conceptDrift).toBe(true);
    expect(base.overall.conceptDrift).toBe(false);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCollectorConfig } from '../../collector/config.js';
import { startCollector, type RunningCollector } from '../../collector/main.js';
import { startExampleModel } from '../../sidecar/example-model.js';
import type { SidecarHandle } from '../../sidecar/main.js';
import { seeded } from '../collector/support/seeded.js';
import { startCapturingSidecar } from '../sidecar/support/sidecar-harness.js';

/*
 * End to end: client → real sidecar (payload capture) → the bundled example model; spans over
 * OTLP/HTTP → a real collector (SQLite in a temp dir) with the drift pipeline and the query API.
 * Traffic comes in two phases. Both send the same (age_z, income_z) rows, in another order, so
 * those inputs keep their distribution exactly; `ratio` moves from [0, 0.01) to [0.05, 0.06). Its
 * weight in the model times its shift is ~1 % of the spread of the model's score, so predictions
 * do not move measurably: the drift report must flag `input.ratio` and nothing else, and its
 * exemplar request ids must open their traces through GET /api/requests/{id}.
 */
const PER_PHASE = 150;
const CONCURRENCY = 8;
const random = seeded(2024);

let dir: string;
let model: { url: string; close(): Promise<void> };
let collector: RunningCollector;
let sidecar: SidecarHandle;
const phases: { start: number; end: number }[] = [];

const rows = Array.from(
  { length: PER_PHASE },
  () => [random.normal(), random.normal()].map((v) => Math.round(v * 1e4) / 1e4) as [number, number],
);

function body(row: [number, number], ratioLow: number): string {
  const tensor = (name: string, value: number) => ({ name, shape: [1], datatype: 'FP64', data: [value] });
  return JSON.stringify({
    inputs: [
      tensor('age_z', row[0]),
      tensor('income_z', row[1]),
      tensor('ratio', Math.round((ratioLow + random.uniform() * 0.01) * 1e6) / 1e6),
    ],
  });
}

async function phase(name: string, ratioLow: number, order: readonly [number, number][]): Promise<void> {
  const start = Date.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < PER_PHASE) {
      const i = next++;
      const res = await fetch(`${sidecar.url}/v2/models/example/versions/1/infer`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': `${name}-${i}` },
        body: body(order[i]!, ratioLow),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-request-id')).toBe(`${name}-${i}`);
      await res.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  phases.push({ start, end: Date.now() + 1 });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'infertrace-drift-e2e-'));
  model = await startExampleModel();
  collector = await startCollector(
    readCollectorConfig({ host: '127.0.0.1', port: '0', db: join(dir, 'spans.db'), 'log-level': 'silent' }, {}),
  );
  await collector.opening.opened();
  sidecar = await startCapturingSidecar(model.url, collector.url, 'example-sidecar');
  await phase('before', 0, rows);
  await phase('after', 0.05, [...rows].reverse());
  await sidecar.close(); // drains and flushes every span to the collector
}, 60_000);

afterAll(async () => {
  await Promise.allSettled([sidecar?.close(), model?.close()]);
  await collector?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('drift end to end: example model → sidecar → collector', () => {
  let report: any;

  beforeAll(async () => {
    const [before, after] = phases as [{ start: number; end: number }, { start: number; end: number }];
    const url =
      `${collector.url}/api/drift?model=example&start=${after.start}&end=${after.end}` +
      `&reference=window:${before.start}/${before.end}&exemplars=3`;
    const res = await fetch(url);
    expect(res.status).toBe(200);
    report = await res.json();
  });

  it('sees every captured request of both phases', () => {
    expect(report.data.current.observations).toBe(PER_PHASE);
    expect(report.data.reference.observations).toBe(PER_PHASE);
    expect(report.features.map((f: any) => f.name)).toEqual([
      'input.age_z',
      'input.income_z',
      'input.ratio',
      'output.label',
      'output.probability',
    ]);
  });

  it('flags exactly the feature whose distribution shifted', () => {
    expect(report.features.filter((f: any) => f.drifted).map((f: any) => f.name)).toEqual(['input.ratio']);
    for (const name of ['input.age_z', 'input.income_z'])
      expect(report.features.find((f: any) => f.name === name).statistic).toBe(0);
    const ratio = report.features.find((f: any) => f.name === 'input.ratio');
    expect(ratio).toMatchObject({ method: 'ks', statistic: 1, exact: true });
    expect(ratio.topMovedBins[0]).toMatchObject({ kind: 'range', upper: null, referenceShare: 0, currentShare: 1 });
  });

  it('gives exemplar request ids of the shifted phase that resolve to their traces', async () => {
    const ratio = report.features.find((f: any) => f.name === 'input.ratio');
    expect(ratio.exemplars).toHaveLength(3);
    for (const e of ratio.exemplars) {
      expect(e.requestId).toMatch(/^after-\d+$/);
      expect(e.value).toBeGreaterThanOrEqual(0.05);
      const res = await fetch(`${collector.url}/api/requests/${e.requestId}`);
      expect(res.status).toBe(200);
      const found = (await res.json()) as { requestId: string; traces: { traceId: string; spans: unknown[] }[] };
      expect(found.requestId).toBe(e.requestId);
      expect(found.traces.map((t) => t.traceId)).toContain(e.traceId);
      expect(JSON.stringify(found.traces)).toContain('"ml.input.ratio"');
    }
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCollectorConfig } from '../../collector/config.js';
import { startCollector, type RunningCollector } from '../../collector/main.js';
import { startExampleModel } from '../../sidecar/example-model.js';
import type { SidecarHandle } from '../../sidecar/main.js';
import { readParquet } from '../collector/datasets/duckdb-reader.js';
import { seeded } from '../collector/support/seeded.js';
import { startCapturingSidecar } from '../sidecar/support/sidecar-harness.js';

/*
 * End to end: client → real sidecar (payload capture) → the bundled example model; spans over
 * OTLP/HTTP → a real collector; ground truth posted to /api/feedback. The dataset must hold
 * exactly what was sent: one row per request row (a batch call gives several), the inputs as sent
 * and in the order sent, the model's outputs as it answered them, and the labels joined.
 */
const random = seeded(1515);
let dir: string;
let model: { url: string; close(): Promise<void> };
let collector: RunningCollector;
let sidecar: SidecarHandle;
let startMs: number;
let endMs: number;

interface Sent {
  requestId: string;
  row: number;
  inputs: [number, number, number];
  probability: number;
  label: number;
}
const sent: Sent[] = [];

async function infer(requestId: string, rows: [number, number, number][]): Promise<void> {
  const tensor = (name: string, i: number) => ({
    name,
    shape: [rows.length],
    datatype: 'FP64',
    data: rows.map((r) => r[i]),
  });
  const res = await fetch(`${sidecar.url}/v2/models/example/versions/1/infer`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': requestId },
    body: JSON.stringify({ inputs: [tensor('age_z', 0), tensor('income_z', 1), tensor('ratio', 2)] }),
  });
  expect(res.status).toBe(200);
  const answer = (await res.json()) as { outputs: { name: string; data: number[] }[] };
  const out = (name: string) => answer.outputs.find((o) => o.name === name)!.data;
  rows.forEach((inputs, row) =>
    sent.push({ requestId, row, inputs, probability: out('probability')[row]!, label: out('label')[row]! }),
  );
}

const value = (): number => Math.round(random.normal() * 1e4) / 1e4;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'infertrace-dataset-e2e-'));
  model = await startExampleModel();
  collector = await startCollector(
    readCollectorConfig({ host: '127.0.0.1', port: '0', db: join(dir, 'spans.db'), 'log-level': 'silent' }, {}),
  );
  await collector.opening.opened();
  sidecar = await startCapturingSidecar(model.url, collector.url, 'example-sidecar');
  startMs = Date.now();
  for (let i = 0; i < 8; i++) await infer(`one-${i}`, [[value(), value(), value()]]);
  await infer('batch-0', [
    [value(), value(), value()],
    [value(), value(), value()],
    [value(), value(), value()],
  ]);
  await sidecar.close(); // drains and flushes every span to the collector
  endMs = Date.now() + 1;
  const feedback = await fetch(`${collector.url}/api/feedback`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([
      { request_id: 'one-1', label: 'fraud' },
      { request_id: 'one-6', label: 'legit' },
      { request_id: 'batch-0', row: 2, label: 'fraud' },
    ]),
  });
  expect(((await feedback.json()) as { joined: number }).joined).toBe(3);
}, 60_000);

afterAll(async () => {
  await Promise.allSettled([sidecar?.close(), model?.close()]);
  await collector?.close();
  rmSync(dir, { recursive: true, force: true });
});

const truth: Record<string, string> = { 'one-1/0': 'fraud', 'one-6/0': 'legit', 'batch-0/2': 'fraud' };
const COLUMNS = [
  'time',
  'request_id',
  'trace_id',
  'model_version',
  'row',
  'input.age_z',
  'input.income_z',
  'input.ratio',
  'output.probability',
  'output.label',
  'label',
];

describe('a dataset of what went through the sidecar', () => {
  it('CSV: every row sent, values and column order as sent, labels joined', async () => {
    const res = await fetch(`${collector.url}/api/datasets/example?start=${startMs}&end=${endMs}`);
    expect(res.status).toBe(200);
    const [header, ...lines] = (await res.text()).trim().split('\n');
    expect(header!.split(',')).toEqual(COLUMNS);
    const rows = lines.map((l) => l.split(','));
    expect(rows.map((r) => [r[1], Number(r[4])])).toEqual(sent.map((s) => [s.requestId, s.row]));
    for (const [i, r] of rows.entries()) {
      const s = sent[i]!;
      expect(r.slice(5, 10).map(Number)).toEqual([...s.inputs, s.probability, s.label]);
      expect(r[10]).toBe(truth[`${s.requestId}/${s.row}`] ?? '');
      expect(r[3]).toBe('1');
      expect(r[2]).toMatch(/^[0-9a-f]{32}$/);
      expect(Date.parse(r[0]!)).toBeGreaterThanOrEqual(startMs - 1);
    }
  });

  it('Parquet: the same rows, typed, read back with DuckDB', async () => {
    const res = await fetch(
      `${collector.url}/api/datasets/example?start=${startMs}&end=${endMs}&format=parquet&labeled=only`,
    );
    const { columns, rows } = await readParquet(dir, new Uint8Array(await res.arrayBuffer()));
    expect(columns.map(([n]) => n)).toEqual(COLUMNS);
    expect(columns.slice(5).map(([, t]) => t)).toEqual(['DOUBLE', 'DOUBLE', 'DOUBLE', 'DOUBLE', 'DOUBLE', 'VARCHAR']);
    const labeled = sent.filter((s) => truth[`${s.requestId}/${s.row}`] !== undefined);
    expect(
      rows.map((r) => [
        r['request_id'],
        r['row'],
        r['input.age_z'],
        r['input.income_z'],
        r['input.ratio'],
        r['output.label'],
        r['label'],
      ]),
    ).toEqual(labeled.map((s) => [s.requestId, s.row, ...s.inputs, s.label, truth[`${s.requestId}/${s.row}`]]));
  });

  it('the manifest records the query, the counts and the columns', async () => {
    const res = await fetch(`${collector.url}/api/datasets/example/manifest?start=${startMs}&end=${endMs}`);
    const manifest = (await res.json()) as Record<string, any>;
    expect(manifest).toMatchObject({ model: 'example', rows: sent.length, labeledRows: 3, spans: 9, format: 'csv' });
    expect(manifest['columns'].map((c: { name: string }) => c.name)).toEqual(COLUMNS);
    expect(manifest['query']).toMatchObject({ start: String(startMs), end: String(endMs), labeled: 'include' });
  });
});

import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../../collector/cli/dataset.js';
import { progressLine } from '../../../collector/cli/progress-bar.js';
import { EXIT } from '../../../shared/exit-codes.js';
import { runCli } from '../support/cli-io.js';
import { capturedSpan } from '../drift/drift-spans.js';
import { startDatasetApp, type DatasetApp } from './dataset-app.js';
import { readParquet } from './duckdb-reader.js';

/** `infertrace dataset export` against a real collector app: the file, its manifest, the progress bar. */
const T = Date.UTC(2025, 5, 1);
let app: DatasetApp;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'infertrace-dataset-cli-'));
  app = await startDatasetApp({ pageSpans: 10, registry: false }); // a first pass counts the rows for the bar
  await app.store.writeSpans(
    Array.from({ length: 60 }, (_, i) =>
      capturedSpan({
        model: 'fraud',
        version: '1',
        startMs: T + i * 1000,
        requestId: `r${i}`,
        inputs: { x: i, country: i % 2 ? 'FR' : 'DE' },
      }),
    ),
  );
  app.label('r3', 0, 'fraud', T + 3000);
});
afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

const range = ['--start', String(T), '--end', String(T + 3_600_000)];

describe('infertrace dataset export', () => {
  it('writes the dataset and its manifest beside it, both private to the user', async () => {
    const out = join(dir, 'fraud.csv');
    const r = await runCli(run, [
      'export',
      '--model',
      'fraud',
      '--out',
      out,
      '--collector',
      app.url,
      ...range,
      '--slice',
      'ml.input.country=FR',
    ]);
    expect(r.code).toBe(EXIT.ok);
    expect(r.stderr).toContain(`wrote 30 rows`);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('time,request_id,trace_id,model_version,row,input.x,input.country,label');
    expect(lines.slice(1).map((l) => l.split(',')[1])).toEqual(Array.from({ length: 30 }, (_, i) => `r${2 * i + 1}`));
    expect(lines[2]!.split(',').at(-1)).toBe('fraud');
    const manifest = JSON.parse(readFileSync(`${out}.manifest.json`, 'utf8'));
    expect(manifest).toMatchObject({
      model: 'fraud',
      rows: 30,
      labeledRows: 1,
      query: { slice: 'ml.input.country=FR', start: String(T) },
    });
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(statSync(`${out}.manifest.json`).mode & 0o777).toBe(0o600);
  });

  it('writes Parquet and JSON Lines too', async () => {
    const parquet = join(dir, 'fraud.parquet');
    expect(
      (
        await runCli(run, [
          'export',
          '--model',
          'fraud',
          '--format',
          'parquet',
          '--out',
          parquet,
          '--collector',
          app.url,
          ...range,
        ])
      ).code,
    ).toBe(0);
    expect((await readParquet(dir, readFileSync(parquet))).rows).toHaveLength(60);
    const jsonl = join(dir, 'fraud.jsonl');
    expect(
      (
        await runCli(run, [
          'export',
          '--model',
          'fraud',
          '--format',
          'jsonl',
          '--out',
          jsonl,
          '--labeled',
          'only',
          '--collector',
          app.url,
          ...range,
        ])
      ).code,
    ).toBe(0);
    expect(
      readFileSync(jsonl, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)['request_id']),
    ).toEqual(['r3']);
  });

  it('draws a progress bar on stderr when it is a terminal', async () => {
    const writes: string[] = [];
    const io = {
      stdout: { write: () => true },
      stderr: { isTTY: true, write: (t: string) => writes.push(t) },
      env: {},
    };
    const out = join(dir, 'tty.csv');
    expect(await run(['export', '--model', 'fraud', '--out', out, '--collector', app.url, ...range], io)).toBe(0);
    const bars = writes.filter((w) => w.startsWith('\r'));
    expect(bars.at(-1)).toContain('[########################] 100%  60/60 rows');
  });

  it('reports usage, collector errors and unwritable files with their exit codes', async () => {
    expect((await runCli(run, ['export'])).code).toBe(EXIT.usage);
    expect((await runCli(run, ['import', '--model', 'm'])).code).toBe(EXIT.usage);
    expect((await runCli(run, ['export', '--model', 'm', '--format', 'xls'])).code).toBe(EXIT.usage);
    const bad = await runCli(run, [
      'export',
      '--model',
      'fraud',
      '--labeled',
      'maybe',
      '--collector',
      app.url,
      '--out',
      join(dir, 'x.csv'),
    ]);
    expect(bad).toMatchObject({ code: EXIT.collectorError });
    expect(bad.stderr).toContain('labeled must be only, include or none');
    const unwritable = await runCli(run, [
      'export',
      '--model',
      'fraud',
      '--collector',
      app.url,
      '--out',
      join(dir, 'no', 'such', 'dir.csv'),
      ...range,
    ]);
    expect(unwritable.code).toBe(EXIT.cannotWrite);
    const down = await runCli(run, [
      'export',
      '--model',
      'fraud',
      '--collector',
      'http://127.0.0.1:9',
      '--out',
      join(dir, 'y.csv'),
    ]);
    expect(down.code).toBe(EXIT.unavailable);
  });
});

describe('the progress line', () => {
  it.each([
    [{ rows: 0, expectedRows: 100, bytes: 10, elapsedMs: 0 }, '[------------------------] 0%  0/100 rows  10 B'],
    [
      { rows: 50, expectedRows: 100, bytes: 2048, elapsedMs: 1000 },
      '[############------------] 50%  50/100 rows  2.0 KiB  50 rows/s',
    ],
    [
      { rows: 120, expectedRows: 100, bytes: 3 * 1024 * 1024, elapsedMs: 2000 },
      '[########################] 100%  120/100 rows  3.0 MiB  60 rows/s',
    ],
    [{ rows: undefined, expectedRows: 100, bytes: 5000, elapsedMs: 10 }, '4.9 KiB'],
    [{ rows: 7, expectedRows: undefined, bytes: 1, elapsedMs: 1000 }, '7 rows  1 B  7 rows/s'],
  ])('%j → %s', (progress, line) => {
    expect(progressLine(progress)).toBe(line);
  });
});

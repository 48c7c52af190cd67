/**
 * Drift report over a current window of N observations × 50 features against a reference of the same
 * size, computed FROM SUMMARIES — time and peak memory — beside its same-run baseline: the time to
 * build those summaries from the raw observations.
 *
 *   npx tsx bench/drift-report.ts                      # windows of 100000 and 1000000 rows
 *   npx tsx bench/drift-report.ts --rows 20000,50000   # other window sizes
 *
 * Each window size runs in two fresh child processes so their peak RSS (resourceUsage().maxRSS) is
 * the phase's own: "build" draws the observations in chunks, adds them to per-feature summaries
 * and writes the encoded summaries (as the collector would store them) to a temporary folder;
 * "report" reads, decodes and reports. Memory of the report phase should not depend on N.
 * Features: 40 numeric (normal, lognormal, integer counts, offset/narrow, uniform, bimodal, …;
 * every fifth one shifted in the current window) and 10 categorical (5–150 categories).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { driftReport } from '../collector/drift/report/drift-report.js';
import type { DriftDataset } from '../collector/drift/report/feature-data.js';
import { CategoricalSummary } from '../collector/drift/summaries/categorical-summary.js';
import { NumericSummary } from '../collector/drift/summaries/numeric-summary.js';
import { decodeSummary, encodeSummary, type Summary } from '../collector/drift/summaries/summary-codec.js';
import { seeded } from '../test/collector/support/seeded.js';

const NUMERIC = 40;
const CATEGORICAL = 10;
const CHUNK = 65536;

interface PhaseResult {
  phase: string;
  rows: number;
  millis: number;
  decodeMillis?: number;
  maxRssMiB: number;
  heapUsedMiB: number;
  bytes: number;
  driftedCount?: number;
}

/** One numeric feature's generator; `shift` moves it in the current window. */
function numericDraw(f: number, shift: number, r: ReturnType<typeof seeded>): () => number {
  switch (f % 8) {
    case 0:
      return () => r.normal() + shift;
    case 1:
      return () => Math.exp(r.normal() * (1 + shift));
    case 2:
      return () => Math.floor(Math.exp(1 + shift + r.normal()));
    case 3:
      return () => 40.7 + 0.05 * (r.normal() + shift);
    case 4:
      return () => r.uniform() * 100 + 10 * shift;
    case 5:
      return () => (r.uniform() < 0.3 + 0.2 * shift ? 5 : -5) + r.normal();
    case 6:
      return () => (r.uniform() < 0.02 ? Number.NaN : 1000 * r.normal() + 500 * shift);
    default:
      return () => Math.round(1990 + 15 * r.normal() + 5 * shift);
  }
}

function categoricalDraw(f: number, shift: number, r: ReturnType<typeof seeded>): () => string {
  const k = [5, 12, 30, 80, 150][f % 5]!;
  const names = Array.from({ length: k }, (_, i) => `cat-${i}`);
  return () => {
    const u = Math.pow(r.uniform(), 1.5 + shift);
    return names[Math.min(k - 1, Math.floor(u * k))]!;
  };
}

function build(rows: number, dir: string): PhaseResult {
  let millis = 0;
  let bytes = 0;
  for (const side of ['reference', 'current'] as const) {
    mkdirSync(join(dir, side), { recursive: true });
    for (let f = 0; f < NUMERIC + CATEGORICAL; f++) {
      const shift = side === 'current' && f % 5 === 0 ? 0.5 : 0;
      const r = seeded(1000 * f + (side === 'current' ? 7 : 1));
      let summary: Summary;
      if (f < NUMERIC) {
        const draw = numericDraw(f, shift, r);
        const s = new NumericSummary();
        const chunk = new Float64Array(CHUNK);
        for (let done = 0; done < rows; done += CHUNK) {
          const n = Math.min(CHUNK, rows - done);
          for (let i = 0; i < n; i++) chunk[i] = draw();
          const t = performance.now();
          for (let i = 0; i < n; i++) s.add(chunk[i]!);
          millis += performance.now() - t;
        }
        summary = s;
      } else {
        const draw = categoricalDraw(f, shift, r);
        const s = new CategoricalSummary();
        const chunk = new Array<string>(CHUNK);
        for (let done = 0; done < rows; done += CHUNK) {
          const n = Math.min(CHUNK, rows - done);
          for (let i = 0; i < n; i++) chunk[i] = draw();
          const t = performance.now();
          for (let i = 0; i < n; i++) s.add(chunk[i]);
          millis += performance.now() - t;
        }
        summary = s;
      }
      const encoded = encodeSummary(summary);
      bytes += encoded.length;
      writeFileSync(join(dir, side, `f${String(f).padStart(2, '0')}.bin`), encoded);
    }
  }
  return { phase: 'build', rows, millis, ...memory(), bytes };
}

function report(rows: number, dir: string): PhaseResult {
  const files = readdirSync(join(dir, 'reference')).sort();
  const blobs = (side: string) => files.map((name) => readFileSync(join(dir, side, name)));
  const refBlobs = blobs('reference');
  const curBlobs = blobs('current');
  const bytes = [...refBlobs, ...curBlobs].reduce((s, b) => s + b.length, 0);
  const t0 = performance.now();
  const decode = (list: Buffer[]): DriftDataset =>
    Object.fromEntries(list.map((b, i) => [files[i]!.replace('.bin', ''), decodeSummary(b)]));
  const reference = decode(refBlobs);
  const current = decode(curBlobs);
  const t1 = performance.now();
  const result = driftReport({ reference, current });
  const t2 = performance.now();
  return {
    phase: 'report',
    rows,
    millis: t2 - t1,
    decodeMillis: t1 - t0,
    ...memory(),
    bytes,
    driftedCount: result.driftedCount,
  };
}

function memory() {
  return { maxRssMiB: process.resourceUsage().maxRSS / 1024, heapUsedMiB: process.memoryUsage().heapUsed / 2 ** 20 };
}

function child(args: string[]): PhaseResult {
  const script = fileURLToPath(import.meta.url);
  const run = spawnSync(process.execPath, [...process.execArgv, script, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (run.status !== 0) throw new Error(`child ${args.join(' ')} failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as PhaseResult;
}

function main(): void {
  const args = process.argv.slice(2);
  const value = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const phase = value('--phase');
  if (phase) {
    const rows = Number(value('--rows'));
    const dir = value('--dir')!;
    console.log(JSON.stringify(phase === 'build' ? build(rows, dir) : report(rows, dir)));
    return;
  }
  const sizes = (value('--rows') ?? '100000,1000000').split(',').map(Number);
  console.log(
    `drift report from summaries: ${NUMERIC} numeric + ${CATEGORICAL} categorical features, reference and current of N rows each`,
  );
  console.log(
    'rows       build ms  build maxRSS MiB  summaries KiB  decode ms  report ms  report/build  report maxRSS MiB  drifted',
  );
  for (const rows of sizes) {
    const dir = mkdtempSync(join(tmpdir(), 'drift-bench-'));
    try {
      const b = child(['--phase', 'build', '--rows', String(rows), '--dir', dir]);
      const r = child(['--phase', 'report', '--rows', String(rows), '--dir', dir]);
      console.log(
        [
          String(rows).padEnd(9),
          b.millis.toFixed(0).padStart(9),
          b.maxRssMiB.toFixed(0).padStart(17),
          (r.bytes / 1024).toFixed(0).padStart(14),
          r.decodeMillis!.toFixed(0).padStart(10),
          r.millis.toFixed(0).padStart(10),
          (r.millis / b.millis).toFixed(4).padStart(13),
          r.maxRssMiB.toFixed(0).padStart(18),
          String(r.driftedCount).padStart(8),
        ].join(' '),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

main();

/**
 * The web console's budget, with 1,000,000 spans stored, each figure beside a baseline of the same run:
 * - request id → rendered waterfall in Chromium (navigation to the waterfall drawn), against the
 *   API call alone (GET /api/requests/{id}) — target ≤ 300 ms;
 * - a model's drift page for 50 features × 7 days at hourly steps: GET /api/drift/series (the
 *   server time, on loopback), against one drift report of one hour — target ≤ 1 s;
 * - the console's JavaScript, gzip-compressed — target ≤ 250 KB.
 *
 *   npm run build && npm run bench:console [-- --spans 1000000 --per-hour 60 --samples 20]
 */
import { readdirSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { readCollectorConfig } from '../collector/config.js';
import { startCollector } from '../collector/main.js';
import type { Attributes, SpanRecord } from '../shared/span-record.js';
import { seeded } from '../test/collector/support/seeded.js';
import { makeBatches, numberArg } from './collector-spans.js';

const SPANS = numberArg('spans', 1_000_000);
const PER_HOUR = numberArg('per-hour', 60);
const SAMPLES = numberArg('samples', 20);
const FEATURES = 50;
const HOUR = 3_600_000;

const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const fmt = (xs: number[]) => `p50 ${quantile(xs, 0.5).toFixed(1)} ms, p95 ${quantile(xs, 0.95).toFixed(1)} ms`;

/** The wide model: one span per request, 50 features (40 numeric, 10 categorical), the last day shifted. */
function wideSpans(now: number): SpanRecord[] {
  const r = seeded(99);
  const spans: SpanRecord[] = [];
  const start = now - 7 * 24 * HOUR;
  for (let h = 0; h < 7 * 24; h += 1) {
    const shift = h >= 6 * 24 ? 0.8 : 0;
    for (let i = 0; i < PER_HOUR; i += 1) {
      const t = BigInt(start + h * HOUR + Math.floor((i * HOUR) / PER_HOUR)) * 1_000_000n;
      const attributes: Attributes = {
        'ml.model.name': 'wide',
        'ml.model.version': '1',
        'ml.request.id': `wide-${h}-${i}`,
        'ml.capture': 'full',
      };
      for (let f = 0; f < FEATURES - 10; f += 1)
        attributes[`ml.input.n${f}`] = Math.round((r.normal() + (f % 5 === 0 ? shift : 0)) * 1e4) / 1e4;
      for (let f = 0; f < 10; f += 1) attributes[`ml.input.c${f}`] = `k${Math.floor(r.uniform() * (5 + f * 3))}`;
      spans.push({
        traceId: r.uniform().toString(16).slice(2).padEnd(32, '7').slice(0, 32),
        spanId: r.uniform().toString(16).slice(2).padEnd(16, '3').slice(0, 16),
        parentSpanId: '',
        traceState: '',
        name: 'POST /v2/models/{model}/infer',
        kind: 'SERVER',
        startTimeUnixNano: t,
        endTimeUnixNano: t + 4_000_000n,
        attributes,
        events: [],
        links: [],
        status: { code: 'UNSET', message: '' },
        flags: 1,
        serviceName: 'wide-sidecar',
        resource: { 'service.name': 'wide-sidecar' },
        scope: { name: 'bench', version: '1' },
      });
    }
  }
  return spans;
}

/** Wall time, and the CPU time of this process (the collector runs in it) in milliseconds. */
async function timed<T>(f: () => Promise<T>): Promise<[T, number, number]> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const v = await f();
  const c = process.cpuUsage(c0);
  return [v, performance.now() - t0, (c.user + c.system) / 1000];
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'infertrace-bench-console-'));
  const collector = await startCollector(
    readCollectorConfig(
      { host: '127.0.0.1', port: '0', db: join(dir, 'spans.db'), retention: '0', 'log-level': 'silent' },
      {},
    ),
  );
  try {
    await collector.opening.opened();
    const { store } = collector.opening.current();
    const now = Date.now();
    process.stdout.write(
      `loading ${SPANS.toLocaleString('en')} spans and ${(7 * 24 * PER_HOUR).toLocaleString('en')} wide-model requests…\n`,
    );
    const { batches, traces } = makeBatches(Math.ceil(SPANS / 512), 512, BigInt(now - 60_000) * 1_000_000n);
    const [, loadMs] = await timed(async () => {
      for (const b of batches) await store.writeSpans(b);
      const wide = wideSpans(now);
      for (let i = 0; i < wide.length; i += 512) await store.writeSpans(wide.slice(i, i + 512));
    });
    process.stdout.write(`loaded in ${(loadMs / 1000).toFixed(1)} s\n\n`);

    const ids = Array.from(
      { length: SAMPLES },
      (_, i) => traces[Math.floor(((i + 0.5) * traces.length) / SAMPLES)]!.requestId,
    );
    const api: number[] = [];
    for (const id of ids) {
      const [res, t] = await timed(() => fetch(`${collector.url}/api/requests/${id}`).then((r) => r.json()));
      if ((res as { traces?: unknown[] }).traces?.length !== 1) throw new Error(`request ${id} not found`);
      api.push(t);
    }
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const rendered: number[] = [];
    try {
      const page = await browser.newPage();
      await page.goto(`${collector.url}/ui/`); // warm the HTTP cache, as a second visit would be
      for (const id of ids) {
        await page.goto(`${collector.url}/ui/?view=request&id=${id}`);
        await page.waitForSelector('[data-testid=waterfall] .span-row');
        rendered.push(await page.evaluate(() => performance.getEntriesByName('infertrace:waterfall')[0]!.startTime));
      }
    } finally {
      await browser.close();
    }
    process.stdout.write(
      `request id → rendered waterfall: ${fmt(rendered)}   (baseline, the API call alone: ${fmt(api)}; target ≤ 300 ms)\n`,
    );

    const one: number[] = [];
    const oneCpu: number[] = [];
    const series: number[] = [];
    const seriesCpu: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const [, t1, c1] = await timed(() =>
        fetch(`${collector.url}/api/drift?model=wide&window=1h&exemplars=0`).then((r) => r.json()),
      );
      one.push(t1);
      oneCpu.push(c1);
      // What the drift page asks for a 7-day range with one feature open: the report, every
      // feature's series at 7 h steps (sparklines), the open feature's series at hourly steps.
      const [answer, t, c] = await timed(async () => {
        const report = fetch(`${collector.url}/api/drift?model=wide&window=7d&exemplars=5`).then((r) => r.json());
        const all = fetch(`${collector.url}/api/drift/series?model=wide&window=7d&step=7h`).then((r) => r.json());
        const one = fetch(`${collector.url}/api/drift/series?model=wide&window=7d&step=1h&feature=input.n0`).then((r) =>
          r.json(),
        );
        return Promise.all([report, all, one]);
      });
      const features = (answer[1] as { features?: unknown[] }).features?.length ?? 0;
      const hourly = (answer[2] as { features?: { points: unknown[] }[] }).features?.[0]?.points.length ?? 0;
      if (features !== FEATURES || hourly < 168)
        throw new Error(`drift series gave ${features} features, ${hourly} hourly points`);
      series.push(t);
      seriesCpu.push(c);
    }
    for (const [name, path] of [
      ['report 7d', '/api/drift?model=wide&window=7d&exemplars=5'],
      ['50 features at 7h steps', '/api/drift/series?model=wide&window=7d&step=7h'],
      ['1 feature at 1h steps', '/api/drift/series?model=wide&window=7d&step=1h&feature=input.n0'],
    ]) {
      const [, t, c] = await timed(() => fetch(`${collector.url}${path}`).then((r) => r.json()));
      process.stdout.write(`  ${name}: wall ${t.toFixed(0)} ms, CPU ${c.toFixed(0)} ms\n`);
    }
    process.stdout.write(
      `drift page, 50 features × 7 days (report + 50 sparklines + one feature hourly): wall ${fmt(series)}, CPU ${fmt(seriesCpu)}   ` +
        `(baseline, one report of one hour: wall ${fmt(one)}, CPU ${fmt(oneCpu)}; target ≤ 1 s)\n`,
    );

    const assets = join(process.cwd(), 'dist/console/assets');
    const size = (ext: string) =>
      readdirSync(assets)
        .filter((f) => f.endsWith(ext))
        .reduce((n, f) => n + gzipSync(readFileSync(join(assets, f))).length, 0);
    process.stdout.write(
      `console JavaScript: ${(size('.js') / 1024).toFixed(1)} KB gzip (CSS ${(size('.css') / 1024).toFixed(1)} KB; target ≤ 250 KB)\n`,
    );
  } finally {
    await collector.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();

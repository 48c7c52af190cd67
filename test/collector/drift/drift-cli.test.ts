import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../../collector/cli/drift.js';
import { EXIT } from '../../../shared/exit-codes.js';
import { binText, flagText } from '../../../collector/drift/drift-table.js';
import type { DriftFlag } from '../../../collector/drift/report/drift-flags.js';
import type { MovedBin } from '../../../collector/drift/report/moved-bins.js';
import { seeded } from '../support/seeded.js';
import { capturedIo } from '../support/cli-io.js';
import { capturedSpan } from './drift-spans.js';
import { startDriftApp, type DriftApp } from './drift-app.js';

/** `infertrace drift` against a real collector app on a loopback port. */
const T0 = Date.parse('2026-01-10T10:00:00Z');
let app: DriftApp;

beforeAll(async () => {
  app = await startDriftApp();
  const r = seeded(9);
  await app.store.writeSpans(
    Array.from({ length: 400 }, (_, i) => {
      const late = i >= 200;
      return capturedSpan({
        model: 'credit',
        version: '1',
        startMs: T0 + i * 100,
        requestId: `c-${i}`,
        inputs: { income: Math.round(r.normal(late ? 70 : 50, 10)), country: r.uniform() < 0.5 ? 'fr' : 'de' },
        outputs: { label: r.uniform() < 0.2 ? 'deny' : 'allow' },
      });
    }),
  );
});
afterAll(() => app.close());

const args = [
  '--model',
  'credit',
  '--start',
  String(T0 + 20_000),
  '--end',
  String(T0 + 40_000),
  '--reference',
  `window:${T0}/${T0 + 20_000}`,
];

describe('infertrace drift', () => {
  it('prints the report as a table with the drifted feature, its bins and exemplar requests', async () => {
    const { out, io: cli } = capturedIo();
    expect(await run([...args, '--collector', app.url], cli)).toBe(EXIT.ok);
    const lines = out.stdout.split('\n');
    expect(lines[0]).toBe('model credit (all versions)');
    expect(out.stdout).toMatch(/window 2026-01-10T10:00:20Z – 2026-01-10T10:00:40Z: 200 observations/);
    expect(out.stdout).toMatch(/reference window 2026-01-10T10:00:00Z – 2026-01-10T10:00:20Z: 200 observations/);
    expect(lines.find((l) => l.startsWith('feature'))?.split(/\s{2,}/)).toEqual([
      'feature',
      'type',
      'method',
      'statistic',
      'p-value',
      'threshold',
      'drifted',
      'flags',
      'top bins',
    ]);
    const income = lines.find((l) => l.startsWith('input.income'))!;
    expect(income).toMatch(/^input\.income\s+numeric\s+ks\s+[\d.]+\s+\S+\s+0\.05\s+YES\s+-\s+[[(]/);
    expect(lines.find((l) => l.startsWith('input.country'))).toMatch(/categorical\s+chi_square\s+.*\s+no\s/);
    expect(out.stdout).toMatch(
      /exemplars \(open with: infertrace trace <request id>\):\n {2}input\.income: request c-\d+ \(trace [0-9a-f]{32}\) value \d+ in /,
    );
    expect(out.stderr).toBe('');
  });

  it('prints the JSON with --json, reads INFERTRACE_COLLECTOR, and exits 4 on dataset drift with --fail-on-drift', async () => {
    const { out, io: cli } = capturedIo({ INFERTRACE_COLLECTOR: app.url });
    const code = await run([...args, '--json', '--fail-on-drift', '--exemplars', '0'], cli);
    const body = JSON.parse(out.stdout);
    expect(body.model).toBe('credit');
    expect(code).toBe(body.datasetDrift ? EXIT.drift : EXIT.ok);
  });

  it.each([
    [['--model', 'nobody'], EXIT.notFound, /no captured inputs or outputs of model "nobody"/],
    [['--model', 'credit', '--reference', 'training'], EXIT.notFound, /has no training profile/],
    [['--model', 'credit', '--window', 'soon'], EXIT.usage, /window must be a duration/],
    [[], EXIT.usage, /--model is required/],
    [['--model', 'credit', '--colour', 'red'], EXIT.usage, /Unknown option '--colour'/],
  ])('%j exits %i', async (argv, code, message) => {
    const { out, io: cli } = capturedIo({ INFERTRACE_COLLECTOR: app.url });
    expect(await run(argv, cli)).toBe(code);
    expect(out.stderr).toMatch(message);
  });

  it('says when the collector cannot be reached', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const { out, io: cli } = capturedIo();
    expect(await run(['--model', 'credit', '--collector', `http://127.0.0.1:${port}`], cli)).toBe(EXIT.unavailable);
    expect(out.stderr).toMatch(/cannot reach the collector at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
  });
});

describe('table cells', () => {
  it.each([
    [
      {
        kind: 'range',
        lower: 1,
        upper: 2.5,
        includesLower: true,
        includesUpper: false,
        referenceShare: 0.1,
        currentShare: 0.3,
        delta: 0.2,
      },
      '[1, 2.5) +20.0pp',
    ],
    [
      {
        kind: 'range',
        lower: null,
        upper: 0,
        includesLower: false,
        includesUpper: false,
        referenceShare: 0,
        currentShare: 0.05,
        delta: 0.05,
      },
      '(-inf, 0) +5.0pp',
    ],
    [
      {
        kind: 'range',
        lower: 9,
        upper: null,
        includesLower: false,
        includesUpper: false,
        referenceShare: 0.2,
        currentShare: 0,
        delta: -0.2,
      },
      '(9, +inf) -20.0pp',
    ],
    [
      {
        kind: 'range',
        lower: 3,
        upper: 9,
        includesLower: true,
        includesUpper: true,
        referenceShare: 0.1,
        currentShare: 0.12,
        delta: 0.02,
      },
      '[3, 9] +2.0pp',
    ],
    [{ kind: 'category', category: 'fr', referenceShare: 0.5, currentShare: 0.25, delta: -0.25 }, '"fr" -25.0pp'],
  ] as [MovedBin, string][])('bin %j reads %s', (bin, text) => {
    expect(binText(bin)).toBe(text);
  });

  it.each([
    [{ kind: 'feature_missing' }, 'feature_missing'],
    [{ kind: 'type_changed', reference: 'numeric', current: 'categorical' }, 'type_changed(numeric→categorical)'],
    [{ kind: 'new_category', categories: ['a', 'b', 'c', 'd'] }, 'new_category(a,b,c,…)'],
    [{ kind: 'missing_rate_changed', reference: 0.01, current: 0.25, pValue: 1e-9 }, 'missing_rate_changed(0.01→0.25)'],
  ] as [DriftFlag, string][])('flag %j reads %s', (flag, text) => {
    expect(flagText(flag)).toBe(text);
  });
});

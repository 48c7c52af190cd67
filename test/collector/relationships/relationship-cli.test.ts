import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../../collector/cli/drift.js';
import { EXIT } from '../../../shared/exit-codes.js';
import { capturedIo } from '../support/cli-io.js';
import { seeded } from '../support/seeded.js';
import { capturedSpan } from '../drift/drift-spans.js';
import { startRelationshipApp, type RelationshipApp } from './relationship-app.js';

/** `infertrace drift --relationships` against a real collector app on a loopback port. */
const T0 = Date.parse('2026-01-10T10:00:00Z');
let app: RelationshipApp;

beforeAll(async () => {
  app = await startRelationshipApp();
  const r = seeded(12);
  await app.store.writeSpans(
    Array.from({ length: 300 }, (_, i) => {
      const x = Math.round(r.normal() * 1000) / 1000;
      const sign = i < 150 ? 1 : -1;
      return capturedSpan({
        model: 'credit',
        startMs: T0 + i * 100,
        requestId: `c-${i}`,
        inputs: { income: x, country: r.uniform() < 0.5 ? 'fr' : 'de' },
        outputs: { score: Math.round((sign * x + 0.2 * r.normal()) * 1000) / 1000 },
      });
    }),
  );
});
afterAll(() => app.close());

const args = [
  '--model',
  'credit',
  '--start',
  String(T0 + 15_000),
  '--end',
  String(T0 + 30_000),
  '--reference',
  `window:${T0}/${T0 + 15_000}`,
  '--relationships',
];

describe('infertrace drift --relationships', () => {
  it('prints one row per pair with the flagged reversal and its exemplar requests', async () => {
    const { out, io } = capturedIo();
    expect(await run([...args, '--collector', app.url], io)).toBe(EXIT.ok);
    const lines = out.stdout.split('\n');
    expect(lines[0]).toBe('model credit (all versions)');
    expect(lines[2]).toBe(
      'relationship drift: 1 of 2 pairs flagged (Fisher z for r, chi-square for joint tables; p < 0.05)',
    );
    expect(lines.find((l) => l.startsWith('input '))?.split(/\s{2,}/)).toEqual([
      'input',
      'output',
      'measure',
      'reference',
      'current',
      'change',
      'test',
      'p-value',
      'flagged',
      'rows (ref/cur)',
    ]);
    expect(lines.find((l) => l.startsWith('input.income'))).toMatch(
      /^input\.income\s+output\.score\s+r\s+0\.9\d*\s+-0\.9\d*\s+-1\.\d+\s+fisher_z\s+\S+\s+YES\s+150\/150$/,
    );
    expect(lines.find((l) => l.startsWith('input.country'))).toMatch(/MI \(nats\).*chi_square\s+\S+\s+no\s/);
    expect(out.stdout).toMatch(
      /exemplars \(open with: infertrace trace <request id>\):\n {2}input\.income → output\.score: request c-\d+ \(trace [0-9a-f]{32}\) /,
    );
    expect(out.stderr).toBe('');
  });

  it('prints the JSON with per-step values, and exits 4 with --fail-on-drift', async () => {
    const { out, io } = capturedIo();
    expect(await run([...args, '--json', '--step', '5s', '--fail-on-drift', '--collector', app.url], io)).toBe(
      EXIT.drift,
    );
    const body = JSON.parse(out.stdout);
    expect(body.pairs.find((p: any) => p.input === 'input.income').series).toHaveLength(3);
  });

  it('refuses --step without --relationships', async () => {
    const { out, io } = capturedIo();
    expect(await run(['--model', 'credit', '--step', '5s', '--collector', app.url], io)).toBe(EXIT.usage);
    expect(out.stderr).toMatch(/--step needs --relationships/);
  });
});

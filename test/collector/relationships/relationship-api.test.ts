import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoMoments } from '../../../collector/relationships/statistics/co-moments.js';
import type { SpanRecord } from '../../../shared/span-record.js';
import { capturedSpan } from '../drift/drift-spans.js';
import { seeded } from '../support/seeded.js';
import { startRelationshipApp, type RelationshipApp } from './relationship-app.js';

/*
 * GET /api/relationships over a real SQLite store. Two hours of traffic: in the first `x` raises
 * `score` and plan "pro" predicts "yes"; in the second the signs flip. `noise` has no relationship
 * with anything in either hour. Whole hours are read from the summaries, steps of 30 minutes from
 * the raw spans.
 */
const H = 3_600_000;
const T0 = Date.parse('2026-03-01T10:00:00Z');
const random = seeded(7);
const N = 120;
let app: RelationshipApp;
const xs: [number[], number[]] = [[], []];
const ys: [number[], number[]] = [[], []];

function span(phase: 0 | 1, i: number): SpanRecord {
  const x = Math.round(random.normal() * 1e4) / 1e4;
  const noise = Math.round(random.normal() * 1e4) / 1e4;
  const score = Math.round(((phase === 0 ? 1 : -1) * x + 0.3 * random.normal()) * 1e4) / 1e4;
  const plan = random.uniform() < 0.5 ? 'pro' : 'basic';
  const agrees = random.uniform() < 0.9;
  const label = (plan === 'pro') === (phase === 0) ? (agrees ? 'yes' : 'no') : agrees ? 'no' : 'yes';
  xs[phase].push(x);
  ys[phase].push(score);
  return capturedSpan({
    model: 'm',
    version: '1',
    startMs: T0 + phase * H + Math.floor((i * H) / (N + 1)),
    requestId: `p${phase}-${i}`,
    inputs: { x, noise, plan },
    outputs: { score, label },
  });
}

beforeAll(async () => {
  app = await startRelationshipApp({ clock: () => T0 + 3 * H });
  const spans = [
    ...Array.from({ length: N }, (_, i) => span(0, i)),
    ...Array.from({ length: N }, (_, i) => span(1, i)),
  ];
  await app.store.writeSpans(spans);
});
afterAll(async () => app?.close());

const q = (params: string) => app.get(`/api/relationships?model=m&${params}`);
const pair = (body: any, input: string, output: string) =>
  body.pairs.find((p: any) => p.input === input && p.output === output);
const current = `start=${T0 + H}&end=${T0 + 2 * H}`;
const reference = `reference=window:${T0}/${T0 + H}`;

describe('GET /api/relationships', () => {
  it('flags the pairs whose relationship reversed, and not the others', async () => {
    const res = await q(`${current}&${reference}`);
    expect(res.status).toBe(200);
    const b = res.body;
    expect(b.pairs.map((p: any) => `${p.output}|${p.input}`)).toEqual([
      'output.label|input.noise',
      'output.label|input.plan',
      'output.label|input.x',
      'output.score|input.noise',
      'output.score|input.plan',
      'output.score|input.x',
    ]);
    const xScore = pair(b, 'input.x', 'output.score');
    expect(xScore).toMatchObject({
      kind: 'numeric',
      measure: 'pearson_r',
      flagged: true,
      test: { method: 'fisher_z' },
    });
    expect(xScore.reference.value).toBeCloseTo(CoMoments.fromPairs(xs[0], ys[0]).pearson(), 12);
    expect(xScore.current.value).toBeCloseTo(CoMoments.fromPairs(xs[1], ys[1]).pearson(), 12);
    expect(xScore.reference.value).toBeGreaterThan(0.9);
    expect(xScore.current.value).toBeLessThan(-0.9);
    expect(xScore.change).toBeCloseTo(xScore.current.value - xScore.reference.value, 12);
    const planLabel = pair(b, 'input.plan', 'output.label');
    expect(planLabel).toMatchObject({
      kind: 'joint',
      measure: 'mutual_information',
      flagged: true,
      test: { method: 'chi_square', dof: 3 },
    });
    expect(planLabel.current.cramersV).toBeGreaterThan(0.6);
    expect(planLabel.movedCells[0].delta).not.toBe(0);
    expect(pair(b, 'input.noise', 'output.score').flagged).toBe(false);
    expect(b.data.reference.summaryRows).toBe(6);
    expect(b.data.current).toMatchObject({ summaryRows: 6, rawSpans: 0 });
    expect(b.flagged).toBe(b.pairs.filter((p: any) => p.flagged).length);
  });

  it('gives exemplar requests of the current window behind a flagged pair', async () => {
    const b = (await q(`${current}&${reference}&exemplars=2`)).body;
    for (const [input, output] of [
      ['input.x', 'output.score'],
      ['input.plan', 'output.label'],
    ] as const) {
      const p = pair(b, input, output);
      expect(p.exemplars).toHaveLength(2);
      for (const e of p.exemplars) expect(e.requestId).toMatch(/^p1-\d+$/);
    }
    const e = pair(b, 'input.x', 'output.score').exemplars[0];
    // The strongest pull towards the negative r: x and score of opposite signs.
    expect(Math.sign(e.input) * Math.sign(e.output)).toBe(-1);
    expect(pair(b, 'input.noise', 'output.score').exemplars).toEqual([]);
  });

  it("gives each pair's value per step", async () => {
    const b = (await q(`start=${T0}&end=${T0 + 2 * H}&reference=window:${T0}/${T0 + H}&step=30m`)).body;
    const s = pair(b, 'input.x', 'output.score').series;
    expect(s.map((p: any) => p.start)).toEqual([0, 1, 2, 3].map((k) => T0 + (k * H) / 2));
    expect(s.slice(0, 2).every((p: any) => p.value > 0.8)).toBe(true);
    expect(s.slice(2).every((p: any) => p.value < -0.8)).toBe(true);
    expect(s.reduce((n: number, p: any) => n + p.count, 0)).toBe(2 * N);
  });

  it('splits by a slice', async () => {
    const b = (await q(`${current}&${reference}&slice=ml.input.plan`)).body;
    expect(b.slices.key).toBe('ml.input.plan');
    expect(b.slices.values.map((v: any) => v.value).sort()).toEqual(['basic', 'pro']);
    for (const v of b.slices.values) expect(pair(v, 'input.x', 'output.score').flagged).toBe(true);
  });

  it.each([
    ['step=0s', 'invalid_parameter', 'step'],
    ['step=1s', 'invalid_parameter', 'step'],
    ['bogus=1', 'unknown_parameter', 'unknown query parameter "bogus"'],
    ['reference=nope', 'invalid_parameter', 'reference'],
    ['bins=3', 'unknown_parameter', 'unknown query parameter "bins"'],
  ])('%s is refused as %s', async (params, code, mention) => {
    const res = await q(`${current}&${params}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message).toContain(mention);
  });

  it('answers no_observations for a window without pairs, reference_not_found for training', async () => {
    expect((await q(`start=${T0 - 2 * H}&end=${T0 - H}`)).body.error.code).toBe('no_observations');
    const training = await q(`${current}&reference=training`);
    expect(training.status).toBe(404);
    expect(training.body.error.code).toBe('reference_not_found');
  });
});

import { describe, expect, it } from 'vitest';
import { PairAccumulator } from '../../../collector/relationships/pair-accumulator.js';
import { RelationshipSummaries } from '../../../collector/relationships/relationship-summaries.js';
import type { PairRow, RelationshipStore } from '../../../collector/relationships/relationship-store.js';
import { createSqliteRelationshipStore } from '../../../collector/relationships/sqlite-relationship-store.js';
import { axisLabel } from '../../../collector/relationships/summaries/axis-label.js';
import { PairSummary } from '../../../collector/relationships/summaries/pair-summary.js';
import type { SpanRecord } from '../../../shared/span-record.js';
import { capturedSpan } from '../drift/drift-spans.js';
import { memoryDatabase } from '../support/memory-db.js';

const T0 = Date.parse('2026-01-10T10:00:00Z');
const HOUR = 3_600_000;
const TIMING = { bucketWidthMs: HOUR, flushIntervalMs: 60_000, dedupeCapacity: 1024 };
const LIMITS = { maxPairs: 200, maxLabels: 64 };

describe('the pair accumulator', () => {
  it('pairs every output with every input, row by row, outputs first', () => {
    const acc = new PairAccumulator({ bucketWidthMs: HOUR, maxPairs: 10, maxLabels: 64 });
    acc.addSpan(
      capturedSpan({
        model: 'm',
        version: '1',
        startMs: T0,
        batch: 3,
        inputs: { age: [1, 2, 3], plan: ['a', 'b', 'a'] },
        outputs: { score: [2, 4, 7], label: ['x', 'y', 'x'] },
      }),
    );
    const deltas = acc.take();
    const byPair = Object.fromEntries(deltas.map((d) => [`${d.input}|${d.output}`, d.summary]));
    expect(deltas.map((d) => `${d.output}|${d.input}`)).toEqual([
      'output.score|input.age',
      'output.score|input.plan',
      'output.label|input.age',
      'output.label|input.plan',
    ]);
    expect(byPair['input.age|output.score']!.moments.count).toBe(3);
    expect(byPair['input.age|output.score']!.moments.pearson()).toBeCloseTo(CoPearson([1, 2, 3], [2, 4, 7]), 12);
    expect(byPair['input.plan|output.label']!.joint.entries().sort()).toEqual([
      ['s:a', 's:x', 2],
      ['s:b', 's:y', 1],
    ]);
    expect(
      byPair['input.age|output.label']!.joint.entries()
        .map((e) => e[0])
        .sort(),
    ).toEqual([axisLabel(1), axisLabel(2), axisLabel(3)].sort());
    expect(acc.take()).toEqual([]);
  });

  it('counts a row with a side missing as missing, and ignores spans without both sides', () => {
    const acc = new PairAccumulator({ bucketWidthMs: HOUR, maxPairs: 10, maxLabels: 64 });
    acc.addSpan(
      capturedSpan({ model: 'm', startMs: T0, batch: 2, inputs: { age: [1, null] }, outputs: { score: [0.5, 0.7] } }),
    );
    acc.addSpan(capturedSpan({ model: 'm', startMs: T0, inputs: { age: 3 } }));
    const [d] = acc.take();
    expect(d!.summary.missing).toBe(1);
    expect(d!.summary.count).toBe(1);
    expect(acc.stats.spans).toBe(1);
  });

  it("caps the pairs of a model version, keeping the first output's pairs", () => {
    const acc = new PairAccumulator({ bucketWidthMs: HOUR, maxPairs: 2, maxLabels: 64 });
    acc.addSpan(capturedSpan({ model: 'm', startMs: T0, inputs: { a: 1, b: 2, c: 3 }, outputs: { y: 1, z: 2 } }));
    expect(acc.take().map((d) => `${d.output}|${d.input}`)).toEqual(['output.y|input.a', 'output.y|input.b']);
    expect(acc.stats.ignoredRows).toBe(4);
  });

  it('folds labels past the cap into "other"', () => {
    const s = new PairSummary(2);
    for (const c of ['a', 'b', 'c', 'd']) s.add(c, 'y');
    expect(s.joint.entries().sort()).toEqual([
      ['o:', 's:y', 2],
      ['s:a', 's:y', 1],
      ['s:b', 's:y', 1],
    ]);
    expect(s.remove('d', 'y')).toBe(true);
    expect(s.joint.entries().sort()).toEqual([
      ['o:', 's:y', 1],
      ['s:a', 's:y', 1],
      ['s:b', 's:y', 1],
    ]);
  });
});

function CoPearson(x: number[], y: number[]): number {
  const mx = x.reduce((a, b) => a + b) / x.length;
  const my = y.reduce((a, b) => a + b) / y.length;
  let sxy = 0,
    sxx = 0,
    syy = 0;
  x.forEach((xi, i) => {
    sxy += (xi - mx) * (y[i]! - my);
    sxx += (xi - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  });
  return sxy / Math.sqrt(sxx * syy);
}

// Erasure: two subjects' spans over two buckets, numeric and categorical pairs, batches and a null.
const subject = (id: string, i: number): SpanRecord =>
  capturedSpan({
    model: 'm',
    version: '1',
    startMs: T0 + (i % 2) * HOUR + i * 1000,
    batch: 2,
    inputs: { age: [20 + i * 1.5, 30 - i], plan: ['basic', i % 3 === 0 ? 'pro' : 'basic'] },
    outputs: { score: [i / 10, i % 4 === 0 ? null : 1 - i / 7], label: [i % 2 === 0 ? 'yes' : 'no', 'no'] },
    extra: { 'enduser.pseudo.id': id },
  });
const alice = [0, 1, 2, 3, 4].map((i) => subject('alice', i));
const bob = [5, 6, 7, 8, 9, 10, 11].map((i) => subject('bob', i));

function contents(rows: PairRow[]) {
  return Object.fromEntries(
    rows.map((r) => {
      const m = r.summary.moments;
      return [
        `${r.bucketMs}|${r.input}|${r.output}`,
        {
          count: m.count,
          missing: r.summary.missing,
          moments: [m.meanX, m.meanY, m.m2x, m.m2y, m.cxy].map((v) => Number(v.toPrecision(10))),
          joint: r.summary.joint.entries().sort(),
        },
      ];
    }),
  );
}

describe('erasure', () => {
  const open = (): RelationshipStore => createSqliteRelationshipStore(memoryDatabase());
  const build = (spans: SpanRecord[], forget?: SpanRecord[]) => {
    const store = open();
    const summaries = new RelationshipSummaries(store, TIMING, LIMITS);
    summaries.onSpans(spans);
    const result = forget === undefined ? undefined : summaries.forget(forget);
    summaries.flush();
    return { rows: contents(store.read({ model: 'm', fromMs: T0, toMs: T0 + 2 * HOUR })), result };
  };

  it("leaves the summaries equal to those of the other subject's spans alone", () => {
    const erased = build([...alice, ...bob], alice);
    const onlyBob = build(bob);
    expect(erased.rows).toEqual(onlyBob.rows);
    expect(erased.result).toEqual({ removed: alice.length * 2 * 4, notFound: 0 });
  });

  it('deletes a summary the subject alone filled', () => {
    const own = capturedSpan({
      model: 'm',
      version: '1',
      startMs: T0 + 10,
      inputs: { solo: 1 },
      outputs: { score: 2 },
    });
    const erased = build([...bob, own], [own]);
    expect(Object.keys(erased.rows).some((k) => k.includes('input.solo'))).toBe(false);
    expect(erased.rows).toEqual(build(bob).rows);
  });

  it('counts rows no summary holds as not found', () => {
    const stranger = capturedSpan({ model: 'elsewhere', startMs: T0, inputs: { a: 1 }, outputs: { y: 2 } });
    expect(build(bob, [stranger]).result).toEqual({ removed: 0, notFound: 1 });
  });
});

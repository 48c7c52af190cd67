import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AREA_SCHEMA_STEPS } from '../../../collector/area-schema.js';
import { createDriftPipeline } from '../../../collector/drift/drift-pipeline.js';
import { CategoricalSummary } from '../../../collector/drift/summaries/categorical-summary.js';
import { NumericSummary } from '../../../collector/drift/summaries/numeric-summary.js';
import { openSqliteStore } from '../../../collector/storage/sqlite/sqlite-store.js';
import type { SpanRecord } from '../../../shared/span-record.js';
import { capturedSpan } from './drift-spans.js';
import type { SqliteStore } from '../../../collector/storage/sqlite/sqlite-store.js';

/** Erasure of one data subject's observations from the stored summaries, on both stores. */
const T0 = Date.parse('2026-01-10T10:00:00Z');
const HOUR = 3_600_000;
const dir = mkdtempSync(join(tmpdir(), 'infertrace-drift-erase-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const subject = (id: string, i: number): SpanRecord =>
  capturedSpan({
    model: 'm',
    version: '1',
    startMs: T0 + i * 1000,
    batch: 2,
    inputs: { age: [20 + i, 30 + i], plan: ['basic', i % 2 === 0 ? 'pro' : 'basic'] },
    outputs: { score: [i / 10, null] },
    extra: { 'enduser.pseudo.id': id },
  });
const alice = [0, 1, 2].map((i) => subject('alice', i));
const bob = [3, 4, 5, 6].map((i) => subject('bob', i));
// Bob once without `plan`: its absence counted as missing, and must stay counted.
bob.push(
  capturedSpan({
    model: 'm',
    version: '1',
    startMs: T0 + 9000,
    inputs: { age: 50 },
    outputs: { score: 0.5 },
    extra: { 'enduser.pseudo.id': 'bob' },
  }),
);
// Alice once without `plan` too: her missing row must go.
alice.push(
  capturedSpan({
    model: 'm',
    version: '1',
    startMs: T0 + 9500,
    inputs: { age: 60 },
    outputs: { score: 0.6 },
    extra: { 'enduser.pseudo.id': 'alice' },
  }),
);

function contents(s: NumericSummary | CategoricalSummary) {
  return s instanceof CategoricalSummary
    ? { count: s.count, missing: s.missing, categories: Object.fromEntries([...s.counts].sort()) }
    : { count: s.count, missing: s.missing, mean: Number(s.mean.toFixed(9)) };
}

async function summaries(spans: SpanRecord[], open: () => SqliteStore, forget?: SpanRecord[]) {
  const drift = createDriftPipeline({ clock: () => T0 + HOUR });
  const store = drift.attach(open());
  await store.writeSpans(spans);
  const result = forget === undefined ? undefined : drift.forget(forget);
  // Values are not labelled by subject: a second forget of the same spans would take equal values of
  // others. The caller deletes the spans in the same transaction, so a retry finds none to forget.
  const stranger = drift.forget([capturedSpan({ model: 'elsewhere', startMs: T0, inputs: { a: 1, b: 'x' } })]);
  drift.flush();
  const rows = drift.runtime()!.service.deps.stores.summaries.read({ model: 'm', fromMs: T0, toMs: T0 + HOUR });
  await store.close();
  return { rows: Object.fromEntries(rows.map((r) => [r.feature, contents(r.summary)])), result, stranger };
}

let n = 0;
describe.each([
  ['sqlite', () => openSqliteStore({ path: join(dir, `erase-${++n}.db`), schemaSteps: AREA_SCHEMA_STEPS })],
] as [string, () => SqliteStore][])('%s', (_name, open) => {
  it("leaves the summaries as if only the other subject's spans had come", async () => {
    const erased = await summaries([...alice, ...bob], open, alice);
    const onlyBob = await summaries(bob, open);
    expect(erased.rows).toEqual(onlyBob.rows);
    // 3 spans × 2 rows × 3 features (a null score is a missing row, taken back too), plus the one-row span's 2 values and its missing plan.
    expect(erased.result).toEqual({ removed: 3 * 2 * 3 + 3, notFound: 0 });
    expect(erased.stranger).toEqual({ removed: 0, notFound: 2 });
  });
});

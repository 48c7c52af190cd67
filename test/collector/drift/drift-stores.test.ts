import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AREA_SCHEMA_STEPS } from '../../../collector/area-schema.js';
import type { DriftStores, StoredReference } from '../../../collector/drift/drift-store.js';
import { createSqliteDriftStores } from '../../../collector/drift/sqlite-drift-store.js';
import { CategoricalSummary } from '../../../collector/drift/summaries/categorical-summary.js';
import { NumericSummary } from '../../../collector/drift/summaries/numeric-summary.js';
import { openSqliteStore, type SqliteStore } from '../../../collector/storage/sqlite/sqlite-store.js';

/** One contract for both drift stores: the SQLite one on a real file, and the memory one. */
const HOUR = 3_600_000;
const T0 = Date.parse('2026-01-10T10:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'infertrace-drift-stores-'));
const opened: SqliteStore[] = [];
afterAll(async () => {
  for (const s of opened) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
const factories: [string, () => DriftStores][] = [
  [
    'sqlite',
    () => {
      const store = openSqliteStore({ path: join(dir, `drift-${++n}.db`), schemaSteps: AREA_SCHEMA_STEPS });
      opened.push(store);
      return createSqliteDriftStores(store.db);
    },
  ],
];

const numeric = (...values: (number | null)[]) => NumericSummary.fromValues(values);
const delta = (feature: string, bucketMs: number, summary: NumericSummary | CategoricalSummary, version = '1') => ({
  model: 'm',
  version,
  feature,
  bucketMs,
  widthMs: HOUR,
  summary,
});

describe.each(factories)('%s drift stores', (_name, make) => {
  it('merges deltas into stored summaries and reads whole buckets of a range', () => {
    const { summaries } = make();
    summaries.merge([delta('input.x', T0, numeric(1, 2)), delta('input.x', T0 + HOUR, numeric(10))]);
    summaries.merge([delta('input.x', T0, numeric(3, null))]);
    const rows = summaries.read({ model: 'm', fromMs: T0, toMs: T0 + 2 * HOUR });
    expect(rows.map((r) => [r.bucketMs, r.summary.count, r.summary.missing])).toEqual([
      [T0, 3, 1],
      [T0 + HOUR, 1, 0],
    ]);
    expect(summaries.read({ model: 'm', fromMs: T0, toMs: T0 + HOUR + 1 }).map((r) => r.bucketMs)).toEqual([T0]);
    expect(summaries.read({ model: 'm', fromMs: T0 + 1, toMs: T0 + 2 * HOUR }).map((r) => r.bucketMs)).toEqual([
      T0 + HOUR,
    ]);
    expect(summaries.read({ model: 'other', fromMs: 0, toMs: T0 * 2 })).toEqual([]);
  });

  it('reads one version or all of them', () => {
    const { summaries } = make();
    summaries.merge([delta('input.x', T0, numeric(1), '1'), delta('input.x', T0, numeric(2, 3), '2')]);
    expect(
      summaries.read({ model: 'm', version: '2', fromMs: T0, toMs: T0 + HOUR }).map((r) => r.summary.count),
    ).toEqual([2]);
    expect(
      summaries
        .read({ model: 'm', fromMs: T0, toMs: T0 + HOUR })
        .map((r) => r.version)
        .sort(),
    ).toEqual(['1', '2']);
  });

  it('keeps the type with more values when a delta of the other type arrives', () => {
    const { summaries } = make();
    summaries.merge([delta('input.c', T0, CategoricalSummary.fromValues(['a', 'b', 'a']))]);
    summaries.merge([delta('input.c', T0, numeric(7))]);
    const [row] = summaries.read({ model: 'm', fromMs: T0, toMs: T0 + HOUR });
    expect(row?.summary).toBeInstanceOf(CategoricalSummary);
    expect([row?.summary.count, row?.summary.missing]).toEqual([3, 1]);
  });

  it('lists recent features with their type', () => {
    const { summaries } = make();
    summaries.merge([
      delta('input.x', T0, numeric(1)),
      delta('input.x', T0 + HOUR, numeric(2)),
      delta('input.c', T0 + HOUR, CategoricalSummary.fromValues(['a'])),
    ]);
    expect(summaries.features(T0 + HOUR).sort((a, b) => a.feature.localeCompare(b.feature))).toEqual([
      { model: 'm', version: '1', feature: 'input.c', type: 'categorical' },
      { model: 'm', version: '1', feature: 'input.x', type: 'numeric' },
    ]);
  });

  it('puts, gets, lists, replaces and deletes references', () => {
    const { references } = make();
    const training: StoredReference = {
      kind: 'training',
      model: 'm',
      version: '',
      createdMs: T0,
      source: 'csv',
      rows: 3,
      features: [
        { name: 'input.age', summary: numeric(30, 40, null), raw: [30, 40, null], hasRaw: true },
        { name: 'input.big', summary: numeric(1, 2, 3), hasRaw: false },
      ],
    };
    const window: StoredReference = {
      kind: 'window',
      model: 'm',
      version: '2',
      createdMs: T0,
      startMs: T0 - HOUR,
      endMs: T0,
    };
    references.put(training);
    references.put(window);
    const got = references.get('m', '');
    expect(got?.kind === 'training' && got.features.map((f) => [f.name, f.raw, f.hasRaw, f.summary.count])).toEqual([
      ['input.age', [30, 40, null], true, 2],
      ['input.big', undefined, false, 3],
    ]);
    expect(references.get('m', '2')).toEqual(window);
    const listed = references.list('m');
    expect(listed.map((r) => [r.version, r.kind])).toEqual([
      ['', 'training'],
      ['2', 'window'],
    ]);
    expect(listed[0]?.kind === 'training' && listed[0].features.map((f) => [f.raw, f.hasRaw])).toEqual([
      [undefined, true],
      [undefined, false],
    ]);
    references.put({ ...window, startMs: T0 - 2 * HOUR });
    expect(references.get('m', '2')).toMatchObject({ startMs: T0 - 2 * HOUR });
    expect(references.delete('m', '')).toBe(true);
    expect(references.delete('m', '')).toBe(false);
    expect(references.get('m', '')).toBeUndefined();
    expect(references.list('m').map((r) => r.version)).toEqual(['2']);
  });
});

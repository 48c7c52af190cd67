import { afterEach, describe, expect, it } from 'vitest';
import { seeded } from '../support/seeded.js';
import { capturedSpan } from '../drift/drift-spans.js';
import { parseCsv, startDatasetApp, type DatasetApp } from './dataset-app.js';

/** Which rows a dataset holds: drift-aware selection, the cut-off, labels, slices and subject exclusions. */
const T = Date.UTC(2025, 5, 1);
const HOUR = 3_600_000;
let app: DatasetApp;

afterEach(async () => {
  await app?.close();
});

const requestIds = (text: string): string[] => parseCsv(text).rows.map((r) => r[1]!);

describe('drift-aware selection', () => {
  // Four hours of one feature; the third hour's values are shifted by three standard deviations.
  // Each hour is compared with the first (a pinned reference window), so exactly hour 2 drifts.
  const PER_HOUR = 120;
  const SHIFTED = 2;
  const seed = async (): Promise<Map<string, number>> => {
    const random = seeded(15);
    const hourOf = new Map<string, number>();
    const spans = [];
    for (let h = 0; h < 4; h++) {
      for (let i = 0; i < PER_HOUR; i++) {
        const id = `h${h}-${i}`;
        hourOf.set(id, h);
        const x = Math.round(random.normal(h === SHIFTED ? 3 : 0, 1) * 1e4) / 1e4;
        spans.push(
          capturedSpan({
            model: 'fraud',
            version: '1',
            startMs: T + h * HOUR + i * 20_000,
            requestId: id,
            inputs: { x },
          }),
        );
      }
    }
    await app.store.writeSpans(spans);
    return hourOf;
  };
  const query = `start=${T}&end=${T + 4 * HOUR}&labeled=none&drift_window=1h&reference=window:${T}/${T + HOUR}`;

  // Drift keeps its summaries 30 days back from its clock: the clock is pinned just after the data.
  const drift = { clock: () => T + 5 * HOUR };

  it('drop leaves out exactly the rows of the drifted window', async () => {
    app = await startDatasetApp({ drift });
    const hourOf = await seed();
    const kept = requestIds((await app.text(`/api/datasets/fraud?${query}&drift=drop`)).text);
    const expected = [...hourOf].filter(([, h]) => h !== SHIFTED).map(([id]) => id);
    expect(kept).toEqual(expected);
    const manifest = await app.json(`/api/datasets/fraud/manifest?${query}&drift=drop`);
    expect(manifest.drift.windows.map((w: { drifted: boolean }) => w.drifted)).toEqual([false, false, true, false]);
    expect(manifest.leftOut.driftedWindowRows).toBe(PER_HOUR);
    expect(manifest.rows).toBe(3 * PER_HOUR);
  });

  it('mark keeps every row and says which ones came from a drifted window; keep keeps them unmarked', async () => {
    app = await startDatasetApp({ drift });
    const hourOf = await seed();
    const { header, rows } = parseCsv((await app.text(`/api/datasets/fraud?${query}&drift=mark`)).text);
    expect(header.at(-1)).toBe('drifted');
    expect(rows.map((r) => [r[1], r.at(-1)])).toEqual([...hourOf].map(([id, h]) => [id, String(h === SHIFTED)]));
    const all = parseCsv((await app.text(`/api/datasets/fraud?${query}`)).text);
    expect(all.header).not.toContain('drifted');
    expect(all.rows).toHaveLength(4 * PER_HOUR);
  });
});

describe('what else selects rows', () => {
  it("since=last-drift-resolved starts at the resolution of the model's latest drift alert", async () => {
    app = await startDatasetApp({ lastDriftResolvedMs: T + 30_000 });
    await app.store.writeSpans(
      [10, 20, 40, 50].map((s) =>
        capturedSpan({ model: 'fraud', version: '1', startMs: T + s * 1000, requestId: `s${s}`, inputs: { x: s } }),
      ),
    );
    const range = `start=${T}&end=${T + HOUR}&labeled=none`;
    expect(requestIds((await app.text(`/api/datasets/fraud?${range}`)).text)).toEqual(['s10', 's20', 's40', 's50']);
    const res = await app.text(`/api/datasets/fraud?${range}&since=last-drift-resolved`);
    expect(requestIds(res.text)).toEqual(['s40', 's50']);
    expect(new URLSearchParams(res.headers.get('x-dataset-query')!).get('start')).toBe(String(T + 30_000));
    const manifest = await app.json(`/api/datasets/fraud/manifest?${range}&since=last-drift-resolved`);
    expect(manifest.cutoff).toEqual({ sinceLastDriftResolved: true, resolvedAt: new Date(T + 30_000).toISOString() });
  });

  it('labeled=only|include|none: rows with a label, every row with the label column, no label column', async () => {
    app = await startDatasetApp();
    await app.store.writeSpans([
      capturedSpan({ model: 'fraud', version: '1', startMs: T + 1000, requestId: 'a', inputs: { x: 1 } }),
      capturedSpan({
        model: 'fraud',
        version: '1',
        startMs: T + 2000,
        requestId: 'b',
        batch: 2,
        inputs: { x: [2, 3] },
      }),
    ]);
    app.label('a', 0, 'legit', T + 1000);
    app.label('b', 1, 'fraud', T + 2000);
    const range = `start=${T}&end=${T + HOUR}`;
    const only = parseCsv((await app.text(`/api/datasets/fraud?${range}&labeled=only`)).text);
    expect(only.rows.map((r) => [r[1], r[4], r[5], r[6]])).toEqual([
      ['a', '0', '1', 'legit'],
      ['b', '1', '3', 'fraud'],
    ]);
    const include = parseCsv((await app.text(`/api/datasets/fraud?${range}&labeled=include`)).text);
    expect(include.rows.map((r) => r[6])).toEqual(['legit', '', 'fraud']);
    const none = parseCsv((await app.text(`/api/datasets/fraud?${range}&labeled=none`)).text);
    expect(none.header).not.toContain('label');
    expect(none.rows).toHaveLength(3);
  });

  it('slice and version filter rows; a batch feature slices row by row', async () => {
    app = await startDatasetApp();
    await app.store.writeSpans([
      capturedSpan({
        model: 'fraud',
        version: '1',
        startMs: T + 1000,
        requestId: 'a',
        batch: 3,
        inputs: { country: ['FR', 'DE', 'FR'] },
      }),
      capturedSpan({ model: 'fraud', version: '2', startMs: T + 2000, requestId: 'b', inputs: { country: 'FR' } }),
    ]);
    const range = `start=${T}&end=${T + HOUR}&labeled=none`;
    const fr = parseCsv((await app.text(`/api/datasets/fraud?${range}&slice=ml.input.country=FR`)).text);
    expect(fr.rows.map((r) => [r[1], r[4]])).toEqual([
      ['a', '0'],
      ['a', '2'],
      ['b', '0'],
    ]);
    const v2 = parseCsv((await app.text(`/api/datasets/fraud?${range}&version=2`)).text);
    expect(v2.rows.map((r) => [r[1], r[3]])).toEqual([['b', '2']]);
    const both = `${range}&slice=ml.input.country=FR&slice=deployment.region=eu&slice=ml.model.version=1`;
    expect(requestIds((await app.text(`/api/datasets/fraud?${both}`)).text)).toEqual(['a', 'a']);
    const bad = await app.text(`/api/datasets/fraud?${range}&slice=country`);
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text).error.code).toBe('invalid_parameter');
  });

  it('restricted or objecting subjects are excluded, per row when the pseudonyms are one per row', async () => {
    app = await startDatasetApp();
    const subject = (v: string | string[]) => ({ 'enduser.pseudo.id': v });
    await app.store.writeSpans([
      capturedSpan({
        model: 'fraud',
        version: '1',
        startMs: T + 1000,
        requestId: 'one',
        inputs: { x: 1 },
        extra: subject('p-restricted'),
      }),
      capturedSpan({
        model: 'fraud',
        version: '1',
        startMs: T + 2000,
        requestId: 'other',
        inputs: { x: 2 },
        extra: subject('p-free'),
      }),
      capturedSpan({
        model: 'fraud',
        version: '1',
        startMs: T + 3000,
        requestId: 'rows',
        batch: 3,
        inputs: { x: [3, 4, 5] },
        extra: subject(['p-free', 'p-objects', 'p-free2']),
      }),
      capturedSpan({
        model: 'fraud',
        version: '1',
        startMs: T + 4000,
        requestId: 'unaligned',
        batch: 3,
        inputs: { x: [6, 7, 8] },
        extra: subject(['p-free', 'p-objects']),
      }),
    ]);
    const range = `start=${T}&end=${T + HOUR}&labeled=none`;
    expect(parseCsv((await app.text(`/api/datasets/fraud?${range}`)).text).rows).toHaveLength(8);
    app.excluded.add('p-restricted').add('p-objects');
    const rows = parseCsv((await app.text(`/api/datasets/fraud?${range}`)).text).rows.map((r) => [r[1], r[5]]);
    expect(rows).toEqual([
      ['other', '2'],
      ['rows', '3'],
      ['rows', '5'],
    ]);
    const manifest = await app.json(`/api/datasets/fraud/manifest?${range}`);
    expect(manifest.privacy.excludedSubjects).toBe(2);
    expect(manifest.leftOut.excludedSubjectRows).toBe(5);
    expect(JSON.stringify(manifest)).not.toContain('p-restricted'); // the manifest names no subject
  });

  it('refuses unknown and malformed parameters with the parameter named', async () => {
    app = await startDatasetApp();
    const cases: [string, string, string][] = [
      ['format=xlsx', 'invalid_parameter', 'format must be csv, jsonl or parquet'],
      ['labeled=maybe', 'invalid_parameter', 'labeled must be only, include or none'],
      ['drift=ignore', 'invalid_parameter', 'drift must be keep, drop or mark'],
      ['since=yesterday', 'invalid_parameter', 'since must be last-drift-resolved'],
      ['window=1h&start=0', 'invalid_parameter', 'give either window or start'],
      ['colour=red', 'unknown_parameter', 'unknown query parameter "colour"'],
    ];
    for (const [q, code, message] of cases) {
      const res = await app.text(`/api/datasets/fraud?${q}`);
      expect([q, res.status, JSON.parse(res.text).error.code]).toEqual([
        q,
        code === 'unknown_parameter' ? 400 : 400,
        code,
      ]);
      expect(JSON.parse(res.text).error.message).toContain(message);
    }
  });
});

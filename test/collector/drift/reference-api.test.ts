import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driftReport } from '../../../collector/drift/report/drift-report.js';
import { seeded } from '../support/seeded.js';
import { capturedSpan } from './drift-spans.js';
import { startDriftApp, type DriftApp } from './drift-app.js';

/** The reference endpoints, and drift against a training profile, on a real SQLite store. */
const T0 = Date.parse('2026-01-10T10:00:00Z');
const r = seeded(5);
const trainAge = Array.from({ length: 400 }, () => Math.round(r.normal(40, 10)));
const trainPlan = Array.from({ length: 400 }, () => (r.uniform() < 0.7 ? 'basic' : 'premium'));
const liveAge = Array.from({ length: 200 }, () => Math.round(r.normal(40, 10)));
const livePlan = Array.from({ length: 200 }, () => (r.uniform() < 0.3 ? 'basic' : 'premium')); // shifted
const csv = `age,plan,output.label\n${trainAge.map((a, i) => `${a},${trainPlan[i]},${i % 2}`).join('\n')}\n`;
const live = `start=${T0}&end=${T0 + 60_000}`;

let app: DriftApp;
beforeAll(async () => {
  app = await startDriftApp({ settings: { referenceMaxBytes: 64 * 1024, referenceRawCap: 300 } });
  await app.store.writeSpans(
    liveAge.map((age, i) =>
      capturedSpan({
        model: 'churn',
        version: '3',
        startMs: T0 + i * 100,
        inputs: { age, plan: livePlan[i]! },
        outputs: { label: i % 2 },
      }),
    ),
  );
});
afterAll(() => app.close());

describe('reference API', () => {
  it('has none at first: 404 with what to do', async () => {
    const { status, body } = await app.get('/api/models/churn/reference');
    expect(status).toBe(404);
    expect(body.error).toMatchObject({ code: 'reference_not_found' });
    expect(body.error.message).toMatch(/compares each window with the previous one; upload a training profile/);
  });

  it('stores a CSV training profile and describes it', async () => {
    const { status, body } = await app.send('POST', '/api/models/churn/reference', csv, 'text/csv; charset=utf-8');
    expect(status).toBe(201);
    expect(body).toMatchObject({
      model: 'churn',
      version: null,
      kind: 'training',
      source: 'csv',
      rows: 400,
      replaced: false,
    });
    // 400 values per column, over the raw cap of 300: summaries only.
    expect(body.features).toEqual([
      { name: 'input.age', type: 'numeric', count: 400, missing: 0, rawValuesKept: false },
      { name: 'input.plan', type: 'categorical', count: 400, missing: 0, rawValuesKept: false },
      { name: 'output.label', type: 'numeric', count: 400, missing: 0, rawValuesKept: false },
    ]);
    const got = await app.get('/api/models/churn/reference?version=3');
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ kind: 'training', version: null, rows: 400 });
    expect(got.body.all.map((x: any) => x.version)).toEqual([null]);
  });

  it('compares with the stored profile by default, flagging the shifted feature', async () => {
    const { status, body } = await app.get(`/api/drift?model=churn&${live}`);
    expect(status).toBe(200);
    expect(body.reference).toMatchObject({ kind: 'training', from: 'stored', version: null });
    const expected = driftReport({
      reference: {
        'input.age': { type: 'numeric', values: trainAge },
        'input.plan': { type: 'categorical', values: trainPlan },
      },
      current: {
        'input.age': { type: 'numeric', values: liveAge },
        'input.plan': { type: 'categorical', values: livePlan },
      },
    });
    const drifted = (fs: { name: string; drifted: boolean }[]) => fs.filter((f) => f.drifted).map((f) => f.name);
    expect(drifted(body.features)).toEqual(drifted(expected.features));
    expect(drifted(body.features)).toEqual(['input.plan']);
    expect(body.data.reference.observations).toBe(400);
  });

  it('keeps raw values under the cap, so statistics against the profile are exact', async () => {
    const small = JSON.stringify({ features: { age: trainAge.slice(0, 250), plan: trainPlan.slice(0, 250) } });
    const up = await app.send('POST', '/api/models/churn/reference?version=3', small, 'application/json');
    expect(up.status).toBe(201);
    expect(up.body.features.map((f: any) => f.rawValuesKept)).toEqual([true, true]);
    const { body } = await app.get(`/api/drift?model=churn&version=3&${live}&reference=training`);
    expect(body.reference).toMatchObject({ kind: 'training', from: 'query', version: '3' });
    const expected = driftReport({
      reference: {
        'input.age': { type: 'numeric', values: trainAge.slice(0, 250) },
        'input.plan': { type: 'categorical', values: trainPlan.slice(0, 250) },
      },
      current: {
        'input.age': { type: 'numeric', values: liveAge },
        'input.plan': { type: 'categorical', values: livePlan },
      },
    });
    for (const f of expected.features) {
      const got = body.features.find((g: any) => g.name === f.name);
      expect([got.exact, got.statistic, got.pValue]).toEqual([true, f.statistic, f.pValue]);
    }
    // output.label is in the current window only: listed as new, not evaluated.
    expect(body.features.find((g: any) => g.name === 'output.label').flags).toEqual([{ kind: 'new_feature' }]);
  });

  it('accepts JSON rows, and pins a window as the reference', async () => {
    const rows = JSON.stringify(trainAge.slice(0, 50).map((age, i) => ({ age, plan: trainPlan[i] })));
    expect((await app.send('POST', '/api/models/rows/reference', rows, 'application/json')).body).toMatchObject({
      rows: 50,
      source: 'json',
    });
    const pin = await app.send(
      'POST',
      '/api/models/churn/reference?version=3',
      JSON.stringify({ window: { start: T0, end: '2026-01-10T10:00:10Z' } }),
      'application/json',
    );
    expect(pin).toMatchObject({ status: 201, body: { kind: 'window', start: T0, end: T0 + 10_000, replaced: true } });
    const { body } = await app.get(`/api/drift?model=churn&version=3&start=${T0 + 10_000}&end=${T0 + 20_000}`);
    expect(body.reference).toEqual({ kind: 'window', from: 'stored', start: T0, end: T0 + 10_000 });
    expect(body.data.reference.observations).toBe(100);
  });

  it('deletes exactly one reference', async () => {
    expect((await app.send('DELETE', '/api/models/churn/reference?version=3', '', 'text/plain')).status).toBe(204);
    const again = await app.send('DELETE', '/api/models/churn/reference?version=3', '', 'text/plain');
    expect(again).toMatchObject({ status: 404, body: { error: { code: 'reference_not_found' } } });
    expect((await app.get('/api/models/churn/reference?version=3')).body).toMatchObject({
      kind: 'training',
      version: null,
    });
  });

  it.each([
    ['text/csv', 'age,age\n1,2\n', 400, 'invalid_reference', /both name the feature input.age/],
    ['text/csv', 'a,b\n1\n', 400, 'invalid_reference', /line 2 has 1 fields/],
    ['application/json', '{"rows": [', 400, 'invalid_reference', /not valid JSON/],
    ['application/json', '{"window": {"start": "x"}}', 400, 'invalid_reference', /a pinned window is/],
    ['application/xml', '<rows/>', 415, 'unsupported_media_type', /send text\/csv .* or application\/json/],
    [
      'text/csv',
      `a\n${'1\n'.repeat(40_000)}`,
      413,
      'body_too_large',
      /larger than 65536 bytes .*INFERTRACE_DRIFT_REFERENCE_MAX_BYTES/,
    ],
  ])('refuses %s body %#', async (type, body, status, code, message) => {
    const res = await app.send('POST', '/api/models/churn/reference', body, type);
    expect({ status: res.status, code: res.body.error.code }).toEqual({ status, code });
    expect(res.body.error.message).toMatch(message);
  });

  it('refuses unknown query parameters', async () => {
    const res = await app.send('POST', '/api/models/churn/reference?verison=3', csv, 'text/csv');
    expect(res).toMatchObject({ status: 400, body: { error: { code: 'unknown_parameter' } } });
    expect(res.body.error.message).toMatch(/unknown query parameter "verison"; known parameters: version, categorical/);
  });

  it('marks a reference kept by retention at upload (keep=true) and later with PATCH', async () => {
    const up = await app.send('POST', '/api/models/kept/reference?version=1&keep=true', csv, 'text/csv');
    expect(up).toMatchObject({ status: 201, body: { keep: true } });
    const other = await app.send('POST', '/api/models/kept/reference?version=2', csv, 'text/csv');
    expect(other).toMatchObject({ status: 201, body: { keep: false } });
    const mark = await app.send('PATCH', '/api/models/kept/reference?version=2', '{"keep": true}', 'application/json');
    expect(mark).toMatchObject({ status: 200, body: { version: '2', keep: true } });
    const unmark = await app.send(
      'PATCH',
      '/api/models/kept/reference?version=1',
      '{"keep": false}',
      'application/json',
    );
    expect(unmark).toMatchObject({ status: 200, body: { version: '1', keep: false } });
    const listed = await app.get('/api/models/kept/reference?version=1');
    expect(listed.body.all.map((r: { version: string; keep: boolean }) => [r.version, r.keep])).toEqual([
      ['1', false],
      ['2', true],
    ]);
  });

  it.each([
    ['PATCH', '/api/models/kept/reference?version=1', '{"keep": "yes"}', 400, 'invalid_reference'],
    ['PATCH', '/api/models/nobody/reference', '{"keep": true}', 404, 'reference_not_found'],
    ['POST', '/api/models/kept/reference?keep=maybe', 'a\n1\n', 400, 'invalid_reference'],
  ])('refuses %s %s with %s', async (method, path, body, status, code) => {
    const type = method === 'POST' ? 'text/csv' : 'application/json';
    const res = await app.send(method, path, body, type);
    expect({ status: res.status, code: res.body.error.code }).toEqual({ status, code });
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../collector/app.js';
import { feedbackPlugin } from '../../../collector/feedback/feedback-routes.js';
import { FeedbackService } from '../../../collector/feedback/feedback-service.js';
import { DAY, HOUR, predictionTrace, T } from './feedback-fixtures.js';
import { memorySpanStore, memoryDatabase } from '../support/memory-db.js';
import { createSqliteFeedbackStore } from '../../../collector/feedback/sqlite-feedback-store.js';
import type { SqliteStore } from '../../../collector/storage/sqlite/sqlite-store.js';

let now = T + DAY;
let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

function setup(outputs: Record<string, string> = {}): {
  spans: SqliteStore;
  service: FeedbackService;
  app: FastifyInstance;
} {
  now = T + DAY;
  const spans = memorySpanStore();
  const service = new FeedbackService({
    spans,
    store: createSqliteFeedbackStore(memoryDatabase()),
    join: { outputs },
    pending: { retryMs: 1000, maxBackoffMs: 4000, pendingTtlMs: DAY },
    clock: () => now,
  });
  app = buildApp({ store: spans, plugins: [feedbackPlugin({ service: () => service, clock: () => now })] });
  return { spans, service, app };
}

const post = (a: FastifyInstance, payload: unknown) =>
  a.inject({ method: 'POST', url: '/api/feedback', payload: payload as object });

describe('POST /api/feedback', () => {
  it('joins known requests, reports unknown ones as pending and refuses ambiguous batch rows', async () => {
    const { spans, service, app } = setup();
    await spans.writeSpans(predictionTrace({ requestId: 'known', attributes: { 'ml.output.label': 'fraud' } }));
    await spans.writeSpans(
      predictionTrace({ requestId: 'batch', attributes: { 'ml.batch.size': 2, 'ml.output.label': ['a', 'b'] } }),
    );
    const res = await post(app, [
      { request_id: 'known', label: 'fraud' },
      { request_id: 'later', label: 'ok' },
      { request_id: 'batch', label: 'b' },
      { request_id: 'batch', label: 'b', row: 1 },
    ]);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ accepted: 3, joined: 2, pending: 1, unknownRequestIds: ['later'] });
    expect(body.rejected).toEqual([
      { index: 2, requestId: 'batch', code: 'ambiguous_batch', message: expect.stringContaining('"row"') },
    ]);
    expect(service.store.counts()).toEqual({ joined: 2, pending: 1 });
  });

  it('accepts a single object', async () => {
    const { spans, app } = setup();
    await spans.writeSpans(predictionTrace({ requestId: 'one', attributes: { 'ml.output.y': 2.5 } }));
    const res = await post(app, { request_id: 'one', value: 3, timestamp: '2025-06-02T00:00:00Z' });
    expect(res.json()).toMatchObject({ accepted: 1, joined: 1, unknownRequestIds: [] });
  });

  it('joins pending feedback once the span arrives, backing off meanwhile, and expires what never joins', async () => {
    const { spans, service, app } = setup();
    await post(app, [
      { request_id: 'slow', label: 'x' },
      { request_id: 'never', label: 'y' },
    ]);
    now += 1000;
    expect(await service.retryPending()).toMatchObject({ tried: 2, joined: 0, stillPending: 2 });
    now += 1000; // backed off to 2 s: nothing due yet
    expect((await service.retryPending()).tried).toBe(0);
    await spans.writeSpans(predictionTrace({ requestId: 'slow', attributes: { 'ml.output.label': 'x' } }));
    now += 1000;
    expect(await service.retryPending()).toMatchObject({ tried: 2, joined: 1, stillPending: 1 });
    expect(service.store.get({ requestId: 'slow', row: null })?.prediction).toBe('x');
    now += DAY;
    expect((await service.retryPending()).expired).toBe(1);
    expect(service.store.counts()).toEqual({ joined: 1, pending: 0 });
  });

  it('keeps the latest label for a request (corrections replace)', async () => {
    const { spans, service, app } = setup();
    await spans.writeSpans(predictionTrace({ requestId: 'r', attributes: { 'ml.output.label': 'a' } }));
    await post(app, { request_id: 'r', label: 'b' });
    await post(app, [
      { request_id: 'r', label: 'c' },
      { request_id: 'r', label: 'a' },
    ]);
    expect(service.store.get({ requestId: 'r', row: null })?.truth).toEqual({ kind: 'label', label: 'a' });
    expect(service.store.counts().joined).toBe(1);
  });

  it.each([
    ['an unknown field', { request_id: 'r', label: 'a', lable: 'b' }, 'body.lable is not a known field'],
    [
      'a missing request id in an array',
      [{ request_id: 'r', label: 'a' }, { label: 'b' }],
      'body[1] has no request_id',
    ],
    ['a string body', '"hello"', 'the body'],
    ['a fractional label', { request_id: 'r', label: 0.5 }, 'send "value" for a regression target'],
    ['a bad type of request id', { request_id: ['r'], label: 'a' }, 'request_id'],
  ])('refuses %s with invalid_feedback', async (_name, payload, message) => {
    const { app, service } = setup();
    const res = await app.inject({
      method: 'POST',
      url: '/api/feedback',
      headers: { 'content-type': 'application/json' },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_feedback');
    expect(res.json().error.message).toContain(message);
    expect(service.store.counts()).toEqual({ joined: 0, pending: 0 });
  });
});

describe('GET /api/models/{model}/performance', () => {
  it('gives accuracy per step and version, sliced by an input attribute', async () => {
    const { spans, app } = setup();
    const cases = [
      { id: 'a', at: T, v: '1', region: 'eu', predicted: 'x', truth: 'x' },
      { id: 'b', at: T + 10, v: '1', region: 'us', predicted: 'x', truth: 'y' },
      { id: 'c', at: T + HOUR, v: '1', region: 'eu', predicted: 'y', truth: 'y' },
      { id: 'd', at: T + HOUR, v: '2', region: 'eu', predicted: 'y', truth: 'x' },
    ];
    for (const c of cases) {
      await spans.writeSpans(
        predictionTrace({
          requestId: c.id,
          atMs: c.at,
          version: c.v,
          attributes: { 'ml.output.label': c.predicted, 'ml.input.region': c.region },
        }),
      );
    }
    await post(
      app,
      cases.map((c) => ({ request_id: c.id, label: c.truth })),
    );
    const url = `/api/models/fraud/performance?start=${T}&end=${T + 2 * HOUR}&step=1h`;
    const plain = (await app.inject({ url })).json();
    expect(plain).toMatchObject({ model: 'fraud', start: T, end: T + 2 * HOUR, step: HOUR, slice: null });
    expect(plain.series.map((s: { version: string }) => s.version)).toEqual(['1', '2']);
    const v1 = plain.series[0];
    expect(v1.points.map((p: { start: number }) => p.start)).toEqual([T, T + HOUR]);
    expect(v1.points.map((p: { classification: { accuracy: number } }) => p.classification.accuracy)).toEqual([
      1 / 2,
      1,
    ]);
    expect(v1.total.classification).toEqual({ count: 3, correct: 2, accuracy: 2 / 3 });
    expect(v1.points[0].reference).toBe(true);
    expect(v1.points[1].labelDrift.labels).toMatchObject({
      method: 'chi_square',
      statistics: expect.objectContaining({ jensen_shannon: expect.any(Number) }),
    });

    const sliced = (await app.inject({ url: `${url}&slice=ml.input.region&version=1` })).json();
    expect(sliced.series.map((s: { version: string; slice: string }) => [s.version, s.slice])).toEqual([
      ['1', 'eu'],
      ['1', 'us'],
    ]);
    expect(sliced.series[1].total.classification.accuracy).toBe(0);
  });

  it('gives MAE and RMSE for regression feedback', async () => {
    const { spans, app } = setup();
    await spans.writeSpans(predictionTrace({ requestId: 'p', atMs: T, attributes: { 'ml.output.price': 10 } }));
    await spans.writeSpans(predictionTrace({ requestId: 'q', atMs: T + 1, attributes: { 'ml.output.price': 20 } }));
    await post(app, [
      { request_id: 'p', value: 13 },
      { request_id: 'q', value: 19 },
    ]);
    const body = (await app.inject({ url: `/api/models/fraud/performance?start=${T}&end=${T + HOUR}&step=1h` })).json();
    expect(body.series[0].total.regression).toEqual({ count: 2, mae: (3 + 1) / 2, rmse: Math.sqrt((9 + 1) / 2) });
  });

  it.each([
    ['window=soon', 'invalid_parameter', 'window must be a duration'],
    ['step=1ms&window=1d', 'invalid_parameter', 'use a coarser step'],
    ['end=tomorrow', 'invalid_parameter', 'end must be epoch milliseconds'],
    ['versoin=1', 'unknown_parameter', 'unknown query parameter "versoin"'],
    ['start=2000&end=1000', 'invalid_parameter', 'must be before end'],
  ])('refuses %s with %s', async (query, code, message) => {
    const { app } = setup();
    const res = await app.inject({ url: `/api/models/fraud/performance?${query}` });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toEqual({ code, message: expect.stringContaining(message) });
  });
});

import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { CollectorPlugin } from '../../collector/app.js';
import { buildApp } from '../../collector/app.js';
import { IngestCounters } from '../../collector/receiver/ingest-counters.js';
import type { SpanStore } from '../../collector/storage/span-store.js';
import type { SpanRecord } from '../../shared/span-record.js';
import { readFixture } from '../support/fixtures.js';
import {
  decodeExportResponse,
  decodeStatus,
  encodeOtlpProtobuf,
  otlpRequest,
  otlpSpan,
} from './support/otlp-factory.js';
import { memorySpanStore } from './support/memory-db.js';
import { makeInferenceTrace } from './storage/span-fixtures.js';

const PB = { 'content-type': 'application/x-protobuf' };
const JSON_CT = { 'content-type': 'application/json' };

function setup(store: SpanStore = memorySpanStore(), extra: Partial<Parameters<typeof buildApp>[0]> = {}) {
  const counters = new IngestCounters();
  return { app: buildApp({ store, counters, ...extra }), store, counters };
}

/** A store whose writes wait for `release()`, to see when the sender is answered. */
function gatedStore(inner: SpanStore) {
  let release!: () => void;
  let called!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const writeCalled = new Promise<void>((r) => (called = r));
  const store: SpanStore = {
    ...inner,
    async writeSpans(spans: readonly SpanRecord[]) {
      called();
      await gate;
      await inner.writeSpans(spans);
    },
    getTrace: (id) => inner.getTrace(id),
  };
  return { store, release, writeCalled };
}

describe('POST /v1/traces', () => {
  it.each([
    ['protobuf', PB, (r: unknown) => encodeOtlpProtobuf(r)],
    ['JSON', JSON_CT, (r: unknown) => JSON.stringify(r)],
    ['gzipped protobuf', { ...PB, 'content-encoding': 'gzip' }, (r: unknown) => gzipSync(encodeOtlpProtobuf(r))],
    ['gzipped JSON', { ...JSON_CT, 'content-encoding': 'gzip' }, (r: unknown) => gzipSync(JSON.stringify(r))],
  ])('stores %s spans and answers 200 with an empty ExportTraceServiceResponse', async (_name, headers, encode) => {
    const { app, store, counters } = setup();
    const spans = [otlpSpan(), otlpSpan()];
    const res = await app.inject({ method: 'POST', url: '/v1/traces', headers, payload: encode(otlpRequest(spans)) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain(headers['content-type']);
    if (headers['content-type'] === 'application/json') expect(res.json()).toEqual({});
    else expect(decodeExportResponse(res.rawPayload).partialSuccess).toBeUndefined();
    for (const s of spans) expect((await store.getTrace(String(s.traceId))).map((x) => x.spanId)).toEqual([s.spanId]);
    expect(counters.snapshot().spansAccepted).toBe(2);
  });

  it('answers partialSuccess (protobuf) naming the rejected span, and stores its valid neighbour', async () => {
    const { app, store, counters } = setup();
    const bad = otlpSpan({ spanId: '0000000000000000' });
    const good = otlpSpan();
    const res = await app.inject({
      method: 'POST',
      url: '/v1/traces',
      headers: PB,
      payload: encodeOtlpProtobuf(otlpRequest([bad, good])),
    });
    expect(res.statusCode).toBe(200);
    const body = decodeExportResponse(res.rawPayload);
    expect(body.partialSuccess?.rejectedSpans).toBe('1');
    expect(body.partialSuccess?.errorMessage).toMatch(/rejected 1 of 2 spans: .*spanId must be 16 hex digits/);
    expect(await store.getTrace(String(good.traceId))).toHaveLength(1);
    expect(await store.getTrace(String(bad.traceId))).toEqual([]);
    expect(counters.snapshot().spansRejected).toEqual({ bad_span_id: 1 });
  });

  it('answers partialSuccess in JSON with int64 as a string', async () => {
    const { app } = setup();
    const res = await app.inject({
      method: 'POST',
      url: '/v1/traces',
      headers: JSON_CT,
      payload: otlpRequest([otlpSpan({ startTimeUnixNano: '0' })]),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      partialSuccess: { rejectedSpans: '1', errorMessage: expect.stringContaining('before 2000-01-01') },
    });
  });

  it('stores the spans of the example trace', async () => {
    const { app, store } = setup();
    const res = await app.inject({
      method: 'POST',
      url: '/v1/traces',
      headers: JSON_CT,
      payload: readFixture('otlp', 'example-trace.json'),
    });
    expect(res.json()).toEqual({});
    expect(await store.getServices()).toEqual(['checkout']);
    expect(await store.getTrace('7d2a4c9e1b3f5a6c8e0d2f4b6a8c0e1d')).toHaveLength(2);
  });

  it.each([
    ['protobuf', PB, Buffer.from([0x0a, 0x7f, 0x01]), 'bad_payload'],
    ['JSON', JSON_CT, Buffer.from('[1,2]'), 'bad_payload'],
    ['gzip that is not gzip', { ...JSON_CT, 'content-encoding': 'gzip' }, Buffer.from('{}'), 'bad_content_encoding'],
  ])('answers 400 with a Status in the request encoding for undecodable %s', async (_name, headers, payload, code) => {
    const { app } = setup();
    const res = await app.inject({ method: 'POST', url: '/v1/traces', headers, payload });
    expect(res.statusCode).toBe(400);
    if (headers['content-type'] === 'application/json') {
      expect(res.json()).toMatchObject({ code: 3, message: expect.any(String), error: { code } });
    } else {
      const status = decodeStatus(res.rawPayload);
      expect(status.code).toBe(3);
      expect(status.message).toMatch(new RegExp(`^${code}: `));
    }
  });

  it.each(['GET', 'PUT', 'DELETE', 'PATCH'] as const)('answers %s with 405 and Allow: POST', async (method) => {
    const { app } = setup();
    const res = await app.inject({ method, url: '/v1/traces' });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('POST');
    expect(res.json().error.code).toBe('method_not_allowed');
  });

  it.each([
    ['text/plain', { 'content-type': 'text/plain' }, 'unsupported_media_type'],
    ['no content type', {}, 'unsupported_media_type'],
    ['brotli', { ...JSON_CT, 'content-encoding': 'br' }, 'unsupported_content_encoding'],
  ])('answers 415 for %s', async (_name, headers, code) => {
    const { app } = setup();
    const res = await app.inject({ method: 'POST', url: '/v1/traces', headers, payload: '{}' });
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe(code);
  });

  it('answers 503 with Retry-After when the store is full, storing nothing', async () => {
    // A queue of one span, held by a write that waits a minute for its batch.
    const { app, store } = setup(memorySpanStore({ queue: { maxQueuedSpans: 1, flushDelayMs: 60_000 } }));
    const holding = store.writeSpans(makeInferenceTrace());
    const spans = [otlpSpan(), otlpSpan()];
    const res = await app.inject({
      method: 'POST',
      url: '/v1/traces',
      headers: PB,
      payload: encodeOtlpProtobuf(otlpRequest(spans)),
    });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(decodeStatus(res.rawPayload).message).toMatch(/^store_full: /);
    expect(await store.getTrace(String(spans[0]?.traceId))).toEqual([]);
    await store.close();
    await holding.catch(() => undefined);
  });

  it.each([
    ['a full disk', 'SQLITE_FULL', 503, 'store_unavailable', /disk is full/],
    ['a read-only database', 'SQLITE_READONLY', 503, 'store_unavailable', /read-only/],
    ['an unknown failure', 'SQLITE_MISUSE', 500, 'internal', /could not be stored/],
  ])('answers a write that fails on %s with %i', async (_name, sqliteCode, status, code, message) => {
    const failing: SpanStore = {
      ...memorySpanStore(),
      writeSpans: async () => {
        throw new Error('write failed', { cause: Object.assign(new Error('sqlite says no'), { code: sqliteCode }) });
      },
    };
    const { app } = setup(failing);
    const res = await app.inject({
      method: 'POST',
      url: '/v1/traces',
      headers: JSON_CT,
      payload: otlpRequest([otlpSpan()]),
    });
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
    expect(res.json().error.message).toMatch(message);
    if (status === 503) expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('acknowledges only after the store has committed the spans', async () => {
    const inner = memorySpanStore();
    const { store, release, writeCalled } = gatedStore(inner);
    const { app } = setup(store);
    const span = otlpSpan();
    let answered = false;
    const response = app
      .inject({ method: 'POST', url: '/v1/traces', headers: JSON_CT, payload: otlpRequest([span]) })
      .then((r) => {
        answered = true;
        return r;
      });
    await writeCalled;
    await new Promise((r) => setImmediate(r));
    expect(answered).toBe(false);
    release();
    expect((await response).statusCode).toBe(200);
    expect(await inner.getTrace(String(span.traceId))).toHaveLength(1);
  });
});

describe('POST /api/v2/spans', () => {
  it('answers 202 and stores the spans', async () => {
    const { app, store } = setup();
    const res = await app.inject({
      method: 'POST',
      url: '/api/v2/spans',
      headers: JSON_CT,
      payload: readFixture('zipkin', 'messaging.json'),
    });
    expect(res.statusCode).toBe(202);
    expect(res.body).toBe('');
    const [id] = (JSON.parse(readFixture('zipkin', 'messaging.json')) as { traceId: string }[]).map((s) => s.traceId);
    expect((await store.getTrace(String(id).padStart(32, '0'))).length).toBeGreaterThan(0);
  });

  it('answers 202 with the rejections when some spans are invalid', async () => {
    const { app } = setup();
    const now = Date.now() * 1000;
    const payload = [
      { traceId: 'a'.repeat(16), id: 'b'.repeat(16), timestamp: now },
      { traceId: 'a'.repeat(16), id: 'short', timestamp: now },
    ];
    const res = await app.inject({ method: 'POST', url: '/api/v2/spans', headers: JSON_CT, payload });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ rejectedSpans: 1, errorMessage: expect.stringContaining('spanId') });
  });

  it.each([
    ['a non-JSON type', { 'content-type': 'application/x-thrift' }, '[]', 415, 'unsupported_media_type'],
    ['an OTLP body', JSON_CT, '{"resourceSpans":[]}', 400, 'bad_payload'],
  ])('answers %s with an error body', async (_name, headers, payload, status, code) => {
    const { app } = setup();
    const res = await app.inject({ method: 'POST', url: '/api/v2/spans', headers, payload });
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
  });
});

describe('buildApp', () => {
  it('answers /healthz, and 503 with the reason when the store is unavailable', async () => {
    let health = { ok: true, error: undefined as string | undefined };
    const { app } = setup(memorySpanStore(), { health: () => health });
    expect((await app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    health = { ok: false, error: 'the span database is not open: disk full' };
    const res = await app.inject('/healthz');
    expect(res.statusCode).toBe(503);
    expect(res.json().error.message).toContain('disk full');
  });

  it('answers unknown routes with a JSON 404', async () => {
    const { app } = setup();
    const res = await app.inject('/nope?x=1');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'not_found', message: 'no route for GET /nope' } });
  });

  it('registers plugins in their own scopes, handing them the store, and leaves them JSON body parsing', async () => {
    const seen: string[] = [];
    const plugin: CollectorPlugin = {
      name: 'echo',
      register(app, context) {
        app.post('/api/echo', async (request) => ({ got: request.body, services: await context.store.getServices() }));
        seen.push(context.store === store ? 'same store' : 'other store');
      },
    };
    const store = memorySpanStore();
    const { app } = setup(store, { plugins: [plugin] });
    await app.inject({
      method: 'POST',
      url: '/v1/traces',
      headers: JSON_CT,
      payload: otlpRequest([otlpSpan()], 'svc-x'),
    });
    const res = await app.inject({ method: 'POST', url: '/api/echo', payload: { a: 1 } });
    expect(res.json()).toEqual({ got: { a: 1 }, services: ['svc-x'] });
    expect(seen).toEqual(['same store']);
  });

  it('gates every route until the database is open (503 store_unavailable, Retry-After, the reason), except those that serve before', async () => {
    let health: { ok: boolean; error?: string } = {
      ok: false,
      error: 'the span database is not open: disk not mounted',
    };
    const plugins: CollectorPlugin[] = [
      {
        name: 'needs-db',
        register: (app) => {
          app.get('/api/needs', async () => ({ ok: true }));
        },
      },
      {
        name: 'in-memory',
        servesBeforeOpen: true,
        register: (app) => {
          app.get('/api/in-memory', async () => ({ ok: true }));
        },
      },
    ];
    const { app } = setup(memorySpanStore(), { plugins, health: () => health });
    const gated = await app.inject('/api/needs');
    expect(gated.statusCode).toBe(503);
    expect(gated.headers['retry-after']).toBe('5');
    expect(gated.json().error).toMatchObject({
      code: 'store_unavailable',
      message: expect.stringContaining('disk not mounted'),
    });
    expect((await app.inject('/api/in-memory')).statusCode).toBe(200);
    expect((await app.inject('/nope')).statusCode).toBe(404);
    // Ingest is not gated: it answers in its protocol's terms, through the store.
    expect(
      (await app.inject({ method: 'POST', url: '/v1/traces', headers: JSON_CT, payload: otlpRequest([otlpSpan()]) }))
        .statusCode,
    ).toBe(200);
    health = { ok: true };
    expect((await app.inject('/api/needs')).json()).toEqual({ ok: true });
  });
});

import { bareApp } from '../../support/bare-app.js';
import { describe, expect, it } from 'vitest';
import { queryRoutes } from '../../../collector/query/routes.js';
import { decodeJsonRequest } from '../../../collector/otlp/decode-json.js';
import { TraceService } from '../../../collector/query/trace-service.js';
import { nowNano } from '../../../shared/time.js';
import { spanRecord } from '../support/span-record-factory.js';
import { memorySpanStore } from '../support/memory-db.js';

async function appWithTrace() {
  const store = memorySpanStore();
  const root = spanRecord(nowNano(), { name: 'infer', attributes: { 'ml.request.id': 'r-1', 'ml.batch.size': 2 } });
  const child = spanRecord(nowNano(), {
    traceId: root.traceId,
    parentSpanId: root.spanId,
    kind: 'CLIENT',
    name: 'upstream',
  });
  await store.writeSpans([root, child]);
  const app = bareApp();
  await app.register(queryRoutes({ traces: new TraceService(store) }));
  return { app, root, child };
}

describe('GET /api/traces/{id}?format=', () => {
  it('gives OTLP/JSON that decodes back to the stored spans', async () => {
    const { app, root, child } = await appWithTrace();
    const res = await app.inject(`/api/traces/${root.traceId}?format=otlp`);
    expect(res.statusCode).toBe(200);
    const decoded = decodeJsonRequest(Buffer.from(res.body)).map((c) => c.span);
    expect(decoded.map((s) => s.spanId).sort()).toEqual([root.spanId, child.spanId].sort());
    expect(decoded.find((s) => s.spanId === root.spanId)?.attributes).toEqual(root.attributes);
  });

  it('gives the Jaeger UI file shape', async () => {
    const { app, root } = await appWithTrace();
    const body = (await app.inject(`/api/traces/${root.traceId}?format=jaeger`)).json() as {
      data: { traceID: string; spans: unknown[] }[];
    };
    expect(body.data).toHaveLength(1);
    expect(body.data[0]?.traceID).toBe(root.traceId);
    expect(body.data[0]?.spans).toHaveLength(2);
  });

  it('gives Zipkin v2 spans', async () => {
    const { app, root, child } = await appWithTrace();
    const body = (await app.inject(`/api/traces/${root.traceId}?format=zipkin`)).json() as {
      id: string;
      parentId?: string;
      kind?: string;
    }[];
    expect(body.find((s) => s.id === child.spanId)).toMatchObject({ parentId: root.spanId, kind: 'CLIENT' });
  });

  it.each(['otlp', 'jaeger', 'zipkin'])('answers 404 for an unknown trace in %s format', async (format) => {
    const { app } = await appWithTrace();
    const res = await app.inject(`/api/traces/${'ab'.repeat(16)}?format=${format}`);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'trace_not_found' } });
  });

  it('refuses a format it does not know, naming the choices', async () => {
    const { app, root } = await appWithTrace();
    const res = await app.inject(`/api/traces/${root.traceId}?format=xml`);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('format');
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomSpanId, randomTraceId } from '../../../shared/ids.js';
import type { SpanRecord } from '../../../shared/span-record.js';
import type { SpanStore, TraceQuery } from '../../../collector/storage/span-store.js';
import { MS, T0, makeInferenceTrace, makeSpan, sortSpans } from './span-fixtures.js';

/**
 * The one contract every SpanStore honours. A store's test file calls this with a factory; the
 * factory returns a fresh, empty store and a cleanup for whatever it created (files, folders).
 */
export interface StoreHandle {
  store: SpanStore;
  cleanup?: () => Promise<void> | void;
}

export function registerSpanStoreContract(name: string, open: () => Promise<StoreHandle> | StoreHandle): void {
  describe(`SpanStore contract: ${name}`, () => {
    let handle: StoreHandle;
    let store: SpanStore;
    beforeEach(async () => {
      handle = await open();
      store = handle.store;
    });
    afterEach(async () => {
      await store.close();
      await handle.cleanup?.();
    });

    describe('writing and reading a trace', () => {
      it('answers an unknown trace with an empty list', async () => {
        expect(await store.getTrace(randomTraceId())).toEqual([]);
      });

      it('accepts an empty write', async () => {
        await store.writeSpans([]);
        expect(await store.getServices()).toEqual([]);
      });

      it('returns every field of every span exactly as written', async () => {
        const traceId = randomTraceId();
        const root = makeSpan({
          traceId,
          traceState: 'vendor=a,other=b',
          startTimeUnixNano: T0 + 123_456_789n,
          endTimeUnixNano: T0 + 987_654_321n,
          attributes: {
            str: 'héllo ✓',
            int: 42,
            neg: -7,
            float: 0.1,
            big: 2 ** 53 - 1,
            bool: false,
            nil: null,
            arr: [1, 'two', [3], { four: 4 }],
            obj: { nested: { deeper: ['x'] } },
            empty: '',
          },
          events: [{ timeUnixNano: T0 + 5n, name: 'exception', attributes: { 'exception.message': 'boom' } }],
          links: [{ traceId: randomTraceId(), spanId: randomSpanId(), traceState: 'k=v', attributes: { n: 1 } }],
          status: { code: 'ERROR', message: 'it broke' },
          flags: 0x301,
          scope: { name: '@opentelemetry/instrumentation-http', version: '0.57.0' },
        });
        const child = makeSpan({
          traceId,
          parentSpanId: root.spanId,
          kind: 'INTERNAL',
          status: { code: 'OK', message: '' },
        });
        const other = makeSpan();
        await store.writeSpans([root, child, other]);
        expect(sortSpans(await store.getTrace(traceId))).toEqual(sortSpans([root, child]));
        expect(await store.getTrace(other.traceId)).toEqual([other]);
      });

      it.each([['UNSPECIFIED'], ['INTERNAL'], ['SERVER'], ['CLIENT'], ['PRODUCER'], ['CONSUMER']] as const)(
        'keeps span kind %s',
        async (kind) => {
          const span = makeSpan({ kind });
          await store.writeSpans([span]);
          expect((await store.getTrace(span.traceId))[0]?.kind).toBe(kind);
        },
      );

      it('keeps spans that arrive in separate writes in one trace', async () => {
        const [server, client] = makeInferenceTrace() as [SpanRecord, SpanRecord];
        await store.writeSpans([client]);
        await store.writeSpans([server]);
        expect(sortSpans(await store.getTrace(server.traceId))).toEqual(sortSpans([server, client]));
      });

      it('stores a large batch completely', async () => {
        const spans = Array.from({ length: 3000 }, (_, i) =>
          makeSpan({ traceId: randomTraceId(), startTimeUnixNano: T0 + BigInt(i) }),
        );
        await store.writeSpans(spans);
        const probe = spans[1234] as SpanRecord;
        expect(await store.getTrace(probe.traceId)).toEqual([probe]);
        const all = await Promise.all(spans.map((s) => store.getTrace(s.traceId)));
        expect(all.every((t) => t.length === 1)).toBe(true);
      });

      it('stores every span of many concurrent writers', async () => {
        const traces = Array.from({ length: 40 }, (_, i) => makeInferenceTrace({ start: T0 + BigInt(i) * MS }));
        await Promise.all(traces.map((t) => store.writeSpans(t)));
        for (const t of traces) expect(await store.getTrace((t[0] as SpanRecord).traceId)).toHaveLength(2);
      });
    });

    describe('idempotency', () => {
      it('ignores a span written again (a retried export)', async () => {
        const spans = makeInferenceTrace();
        await store.writeSpans(spans);
        await store.writeSpans(spans);
        expect(await store.getTrace((spans[0] as SpanRecord).traceId)).toHaveLength(2);
      });

      it('ignores a duplicate inside one write', async () => {
        const span = makeSpan();
        await store.writeSpans([span, span, { ...span }]);
        expect(await store.getTrace(span.traceId)).toHaveLength(1);
      });

      it('keeps the first version when a span id comes back with other content', async () => {
        const span = makeSpan({ name: 'first' });
        await store.writeSpans([span]);
        await store.writeSpans([{ ...span, name: 'second' }]);
        expect((await store.getTrace(span.traceId)).map((s) => s.name)).toEqual(['first']);
      });

      it('keeps a client and a server span sharing one span id (Zipkin)', async () => {
        const client = makeSpan({ kind: 'CLIENT', name: 'get' });
        const server = { ...client, kind: 'SERVER' as const, serviceName: 'backend' };
        await store.writeSpans([client, server]);
        expect((await store.getTrace(client.traceId)).map((s) => s.kind).sort()).toEqual(['CLIENT', 'SERVER']);
      });

      it('keeps one span id in two different traces', async () => {
        const a = makeSpan();
        const b = makeSpan({ spanId: a.spanId });
        await store.writeSpans([a, b]);
        expect(await store.getTrace(a.traceId)).toEqual([a]);
        expect(await store.getTrace(b.traceId)).toEqual([b]);
      });
    });

    describe('copies', () => {
      it('is not changed by changes to what was written', async () => {
        const span = makeSpan();
        const copy = structuredClone(span);
        await store.writeSpans([span]);
        span.name = 'changed';
        span.attributes['ml.request.id'] = 'changed';
        expect(await store.getTrace(copy.traceId)).toEqual([copy]);
      });

      it('is not changed by changes to what was read', async () => {
        const span = makeSpan();
        await store.writeSpans([span]);
        const [read] = await store.getTrace(span.traceId);
        (read as SpanRecord).attributes['http.request.method'] = 'GET';
        (read as SpanRecord).events.push({ timeUnixNano: 1n, name: 'x', attributes: {} });
        expect(await store.getTrace(span.traceId)).toEqual([span]);
      });
    });

    describe('lookups by request id and by data subject', () => {
      it('finds the traces of a request id, most recent first', async () => {
        const older = makeInferenceTrace({ requestId: 'req-42', start: T0 });
        const newer = makeInferenceTrace({ requestId: 'req-42', start: T0 + 1000n * MS });
        const unrelated = makeInferenceTrace({ requestId: 'req-43', start: T0 + 2000n * MS });
        await store.writeSpans([...older, ...unrelated]);
        await store.writeSpans(newer);
        const ids = (t: SpanRecord[]): string => (t[0] as SpanRecord).traceId;
        expect(await store.findTraceIdsByRequestId('req-42')).toEqual([ids(newer), ids(older)]);
        expect(await store.findTraceIdsByRequestId('req-43')).toEqual([ids(unrelated)]);
      });

      it.each([['no-such-request'], ['REQ-42'], ['req-4'], ['']])('finds nothing for %j', async (id) => {
        await store.writeSpans(makeInferenceTrace({ requestId: 'req-42' }));
        expect(await store.findTraceIdsByRequestId(id)).toEqual([]);
      });

      it('lists a trace once even when several of its spans carry the request id', async () => {
        const [server, client] = makeInferenceTrace({ requestId: 'r-1' }) as [SpanRecord, SpanRecord];
        client.attributes['ml.request.id'] = 'r-1';
        await store.writeSpans([server, client]);
        expect(await store.findTraceIdsByRequestId('r-1')).toEqual([server.traceId]);
      });

      it('finds a data subject among many traces', async () => {
        const mine = [
          makeInferenceTrace({ subject: 'subj-A', start: T0 }),
          makeInferenceTrace({ subject: 'subj-A', start: T0 + 5n * MS }),
        ];
        const others = Array.from({ length: 200 }, (_, i) =>
          makeInferenceTrace({ subject: `subj-${i}`, start: T0 + BigInt(i) * MS }),
        );
        await store.writeSpans([...mine.flat(), ...others.flat()]);
        expect(await store.findTraceIdsBySubject('subj-A')).toEqual([
          (mine[1] as SpanRecord[])[0]?.traceId,
          (mine[0] as SpanRecord[])[0]?.traceId,
        ]);
        expect(await store.findTraceIdsBySubject('subj-none')).toEqual([]);
      });
    });

    describe('services and operations', () => {
      it("lists services and each service's operations, sorted", async () => {
        await store.writeSpans([
          makeSpan({ serviceName: 'b-svc', name: 'predict', kind: 'SERVER' }),
          makeSpan({ serviceName: 'b-svc', name: 'predict', kind: 'SERVER' }),
          makeSpan({ serviceName: 'b-svc', name: 'predict', kind: 'CLIENT' }),
          makeSpan({ serviceName: 'b-svc', name: 'load', kind: 'INTERNAL' }),
          makeSpan({ serviceName: 'a-svc', name: 'GET', kind: 'SERVER' }),
        ]);
        expect(await store.getServices()).toEqual(['a-svc', 'b-svc']);
        expect(await store.getOperations('b-svc')).toEqual([
          { name: 'load', kind: 'INTERNAL' },
          { name: 'predict', kind: 'CLIENT' },
          { name: 'predict', kind: 'SERVER' },
        ]);
        expect(await store.getOperations('no-svc')).toEqual([]);
      });
    });

    registerFindTraces(() => store);
  });
}

/** findTraces over one fixed population of six traces, a table of queries and the traces they find. */
function registerFindTraces(getStore: () => SpanStore): void {
  describe('findTraces', () => {
    const sec = (n: number): bigint => T0 + BigInt(n) * 1000n * MS;
    const population = {
      irisV1: makeInferenceTrace({ start: sec(1), model: 'iris', version: '1', durationMs: 10n }),
      irisV2: makeInferenceTrace({ start: sec(2), model: 'iris', version: '2', durationMs: 200n }),
      irisErr: makeInferenceTrace({ start: sec(3), model: 'iris', version: '2', durationMs: 50n, error: true }),
      fraud: makeInferenceTrace({
        start: sec(4),
        model: 'fraud',
        version: '7',
        service: 'fraud-sidecar',
        durationMs: 900n,
      }),
      fraudOld: makeInferenceTrace({
        start: sec(0),
        model: 'fraud',
        version: '7',
        service: 'fraud-sidecar',
        durationMs: 5n,
      }),
      plain: [
        makeSpan({
          startTimeUnixNano: sec(5),
          serviceName: 'gateway',
          name: 'GET /health',
          resource: { 'service.name': 'gateway', 'deployment.environment': 'prod' },
        }),
      ],
    };
    type Name = keyof typeof population;
    const idOf = (n: Name): string => (population[n][0] as SpanRecord).traceId;

    beforeEach(async () => {
      await getStore().writeSpans(Object.values(population).flat());
    });

    it.each<[string, Omit<TraceQuery, 'limit'>, Name[]]>([
      ['everything, newest first', {}, ['plain', 'fraud', 'irisErr', 'irisV2', 'irisV1', 'fraudOld']],
      ['by service', { service: 'fraud-sidecar' }, ['fraud', 'fraudOld']],
      ['by service and operation', { service: 'iris-sidecar', operation: 'POST' }, ['irisErr', 'irisV2', 'irisV1']],
      ['by an operation the service lacks', { service: 'gateway', operation: 'POST' }, []],
      ['by model', { model: 'iris' }, ['irisErr', 'irisV2', 'irisV1']],
      ['by model and version', { model: 'iris', version: '2' }, ['irisErr', 'irisV2']],
      ['by version alone', { version: '7' }, ['fraud', 'fraudOld']],
      ['by minimum duration', { minDurationNano: 200n * MS }, ['fraud', 'irisV2']],
      ['by duration range', { minDurationNano: 10n * MS, maxDurationNano: 50n * MS }, ['plain', 'irisErr', 'irisV1']],
      ['by service and duration', { service: 'iris-sidecar', minDurationNano: 100n * MS }, ['irisV2']],
      ['by start range', { startNano: sec(1), endNano: sec(3) }, ['irisErr', 'irisV2', 'irisV1']],
      ['by start range, inclusive at both ends', { startNano: sec(2), endNano: sec(2) }, ['irisV2']],
      ['by error', { error: true }, ['irisErr']],
      ['without error', { error: false, model: 'iris' }, ['irisV2', 'irisV1']],
      [
        'by a string tag',
        { tags: { 'ml.protocol': 'oip-v2', 'url.path': '/v2/models/fraud/infer' } },
        ['fraud', 'fraudOld'],
      ],
      ['by a numeric tag', { tags: { 'http.response.status_code': '500' } }, ['irisErr']],
      ['by a resource tag', { tags: { 'deployment.environment': 'prod' } }, ['plain']],
      ['by a tag nobody has', { tags: { 'ml.protocol': 'mlflow' } }, []],
      ['by conditions no single span meets', { service: 'iris-sidecar', operation: 'POST', model: 'iris' }, []],
      ['by model and service of another model', { model: 'iris', service: 'fraud-sidecar' }, []],
    ])('%s', async (_label, query, expected) => {
      const found = await getStore().findTraces({ ...query, limit: 100 });
      expect(found.map((s) => s.traceId)).toEqual(expected.map(idOf));
    });

    it.each([[1], [3], [0]])('returns at most %i traces, the most recent', async (limit) => {
      const found = await getStore().findTraces({ limit });
      expect(found.map((s) => s.traceId)).toEqual((['plain', 'fraud', 'irisErr'] as Name[]).slice(0, limit).map(idOf));
    });

    it('summarises each trace', async () => {
      const [summary] = await getStore().findTraces({ model: 'iris', error: true, limit: 10 });
      const [server] = population.irisErr as [SpanRecord];
      expect(summary).toEqual({
        traceId: server.traceId,
        rootService: 'iris-sidecar',
        rootOperation: server.name,
        startTimeUnixNano: sec(3),
        durationNano: 50n * MS,
        spanCount: 2,
        errorCount: 1,
        services: ['iris-sidecar'],
        requestIds: [server.attributes['ml.request.id']],
      });
    });

    it('summarises a trace whose root never arrived from its earliest span', async () => {
      const traceId = randomTraceId();
      const late = makeSpan({
        traceId,
        parentSpanId: randomSpanId(),
        name: 'late',
        startTimeUnixNano: sec(9) + 5n * MS,
      });
      const early = makeSpan({
        traceId,
        parentSpanId: randomSpanId(),
        name: 'early',
        serviceName: 'svc-x',
        startTimeUnixNano: sec(9),
      });
      await getStore().writeSpans([late, early]);
      const [summary] = await getStore().findTraces({ limit: 1 });
      expect(summary).toMatchObject({ traceId, rootOperation: 'early', rootService: 'svc-x', spanCount: 2 });
    });
  });
}

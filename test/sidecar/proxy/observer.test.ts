import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExchangeInfo, ExchangeObserver, ObserverFactory } from '../../../sidecar/proxy/exchange-observer.js';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver.js';
import { startTestSidecar } from '../support/sidecar-harness.js';
import { startUpstream, type TestUpstream } from '../support/upstream.js';

/** A tiny observer: keeps every chunk and reports what it saw as attributes. */
function recordingObserver(calls: ExchangeInfo[]): ObserverFactory {
  return (info) => {
    calls.push(info);
    const req: Buffer[] = [];
    const res: Buffer[] = [];
    let status = 0;
    return {
      onRequestChunk: (c) => void req.push(c),
      onResponseStart: (s) => void (status = s),
      onResponseChunk: (c) => void res.push(c),
      finish: (outcome) => ({
        'ml.capture': 'full',
        'test.request': Buffer.concat(req).toString(),
        'test.response': Buffer.concat(res).toString(),
        'test.status': status,
        'test.completed': outcome.completed,
        'test.batch': [1, 2, 3],
        'test.nested': { a: 1 },
        'test.skipped': null,
        'ml.request.id': 'from-the-protocol',
      }),
    } satisfies ExchangeObserver;
  };
}

function throwing(where: 'factory' | 'chunk' | 'finish'): ObserverFactory {
  return () => {
    if (where === 'factory') throw new Error('factory broke');
    return {
      onRequestChunk: () => {
        if (where === 'chunk') throw new Error('chunk broke');
      },
      onResponseStart: () => undefined,
      onResponseChunk: () => undefined,
      finish: () => {
        if (where === 'finish') throw new Error('finish broke');
        return { 'ml.capture': 'full' };
      },
    };
  };
}

let receiver: OtlpReceiver;
let upstream: TestUpstream;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
  upstream = await startUpstream((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"echo":');
      res.end(`${JSON.stringify(Buffer.concat(chunks).toString())}}`);
    });
  });
});
afterAll(async () => {
  await upstream.close();
  await receiver.close();
});

const env = (): Record<string, string> => ({
  OTEL_TRACES_EXPORTER: 'otlp',
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.endpoint,
});

async function serverSpan(traceId: string): Promise<ReceivedSpan> {
  const all = await receiver.waitFor((s) => s.some((x) => x.traceId === traceId && x.kind === 2));
  return all.find((x) => x.traceId === traceId && x.kind === 2) as ReceivedSpan;
}

const tp = (n: number): { traceId: string; header: string } => {
  const traceId = String(n).repeat(32).slice(0, 32);
  return { traceId, header: `00-${traceId}-${'1'.repeat(16)}-01` };
};

describe('the capture seam', () => {
  it('shows the observer every chunk both ways and sets its attributes on the SERVER span', async () => {
    const calls: ExchangeInfo[] = [];
    const sidecar = await startTestSidecar(upstream.url, env(), recordingObserver(calls));
    try {
      const { traceId, header } = tp(2);
      const res = await request(`${sidecar.url}/v2/models/m/infer?x=1`, {
        method: 'POST',
        body: 'hello',
        headers: { traceparent: header },
      });
      expect(await res.body.text()).toBe('{"echo":"hello"}');
      const span = await serverSpan(traceId);
      expect(calls[0]).toMatchObject({ method: 'POST', url: '/v2/models/m/infer?x=1' });
      expect(calls[0]?.requestHeaders['traceparent']).toBe(header);
      expect(span.attributes).toMatchObject({
        'ml.capture': 'full',
        'test.request': 'hello',
        'test.response': '{"echo":"hello"}',
        'test.status': 200,
        'test.completed': true,
        'test.batch': [1, 2, 3],
        'test.nested': '{"a":1}',
      });
      expect(span.attributes).not.toHaveProperty('test.skipped');
      // No x-request-id from the client: the protocol's own id fills the gap.
      expect(span.attributes['ml.request.id']).toBe('from-the-protocol');
    } finally {
      await sidecar.close();
    }
  });

  it("keeps the client's x-request-id over the observer's", async () => {
    const sidecar = await startTestSidecar(upstream.url, env(), recordingObserver([]));
    try {
      const { traceId, header } = tp(3);
      await (
        await request(`${sidecar.url}/x`, {
          method: 'POST',
          body: 'a',
          headers: { traceparent: header, 'x-request-id': 'client-id' },
        })
      ).body.dump();
      expect((await serverSpan(traceId)).attributes['ml.request.id']).toBe('client-id');
    } finally {
      await sidecar.close();
    }
  });

  it.each(['factory', 'chunk', 'finish'] as const)(
    'an observer that throws in %s: request intact, ml.capture=skipped',
    async (where) => {
      const sidecar = await startTestSidecar(upstream.url, env(), throwing(where));
      try {
        const { traceId, header } = tp(where === 'factory' ? 4 : where === 'chunk' ? 5 : 6);
        const res = await request(`${sidecar.url}/x`, {
          method: 'POST',
          body: 'payload',
          headers: { traceparent: header },
        });
        expect(res.statusCode).toBe(200);
        expect(await res.body.text()).toBe('{"echo":"payload"}');
        expect((await serverSpan(traceId)).attributes).toMatchObject({
          'ml.capture': 'skipped',
          'ml.capture.reason': 'observer_error',
        });
      } finally {
        await sidecar.close();
      }
    },
  );

  it.each([
    [undefined, 128],
    [400, 301],
  ])('keeps as many captured attributes as capture asks for (%s → %d)', async (limit, kept) => {
    const many: ObserverFactory = () => ({
      onRequestChunk: () => undefined,
      onResponseStart: () => undefined,
      onResponseChunk: () => undefined,
      finish: () => Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`ml.input.f${i}`, i])),
    });
    const sidecar = await startTestSidecar(upstream.url, env(), many, limit);
    try {
      const { traceId, header } = tp(limit === undefined ? 9 : 1);
      await (
        await request(`${sidecar.url}/x`, { method: 'POST', body: 'a', headers: { traceparent: header } })
      ).body.dump();
      // 300 captured + the proxy's own attributes, cut at the span limit.
      expect(Object.keys((await serverSpan(traceId)).attributes).length).toBeGreaterThanOrEqual(kept);
      expect(Object.keys((await serverSpan(traceId)).attributes).length).toBeLessThanOrEqual(limit ?? 128);
    } finally {
      await sidecar.close();
    }
  });

  it('is not asked to capture exchanges that are not sampled', async () => {
    const calls: ExchangeInfo[] = [];
    const sidecar = await startTestSidecar(upstream.url, env(), recordingObserver(calls));
    try {
      await (
        await request(`${sidecar.url}/x`, {
          method: 'POST',
          body: 'a',
          headers: { traceparent: `00-${'7'.repeat(32)}-${'1'.repeat(16)}-00` },
        })
      ).body.dump();
      const { traceId, header } = tp(8);
      await (
        await request(`${sidecar.url}/x`, { method: 'POST', body: 'b', headers: { traceparent: header } })
      ).body.dump();
      await serverSpan(traceId);
      expect(calls.map((c) => c.requestHeaders['traceparent'])).toEqual([header]);
    } finally {
      await sidecar.close();
    }
  });
});

import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { validateSpan } from '../../../collector/receiver/validate.js';
import { nowNano } from '../../../shared/time.js';
import { post } from '../support/http-post.js';
import { listenForFile } from '../support/listen.js';
import {
  decodeExportResponse,
  decodeStatus,
  encodeOtlpProtobuf,
  otlpRequest,
  otlpSpan,
  withDeepValue,
} from '../support/otlp-factory.js';
import * as pb from '../support/proto-bytes.js';

/**
 * Faults: random bytes, truncated protobuf (whole and mid-upload), JSON of the wrong shape, and
 * deeply nested attribute values, over real HTTP. Each gets the documented answer, nothing invalid
 * is stored, and the collector keeps serving.
 */
const PB = { 'content-type': 'application/x-protobuf' };
const JSON_CT = { 'content-type': 'application/json' };

const collector = listenForFile();
const { store } = collector;

/** A small seeded generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function expectStillServing(): Promise<void> {
  const span = otlpSpan();
  const res = await post(`${collector.server.url}/v1/traces`, {
    headers: JSON_CT,
    body: JSON.stringify(otlpRequest([span])),
  });
  expect(res.status).toBe(200);
  expect(await store.getTrace(String(span.traceId))).toHaveLength(1);
}

describe('bad input', () => {
  it('random bytes: every answer is 400 bad_payload or a 200 that stored only valid spans', async () => {
    const next = random(20261126);
    const outcomes = new Map<number, number>();
    for (let i = 0; i < 200; i++) {
      const body = Buffer.from(Array.from({ length: 1 + Math.floor(next() * 2000) }, () => Math.floor(next() * 256)));
      const headers = i % 2 === 0 ? PB : JSON_CT;
      const res = await collector.server.app.inject({ method: 'POST', url: '/v1/traces', headers, payload: body });
      outcomes.set(res.statusCode, (outcomes.get(res.statusCode) ?? 0) + 1);
      if (res.statusCode === 400) {
        const message =
          headers === PB ? decodeStatus(res.rawPayload).message : res.json<{ error: { code: string } }>().error.code;
        expect(message).toMatch(/bad_payload/);
      } else {
        expect(res.statusCode).toBe(200);
      }
    }
    expect(outcomes.get(400)).toBeGreaterThan(150);
    for (const service of await store.getServices()) {
      for (const summary of await store.findTraces({ service, limit: 1000 })) {
        for (const span of await store.getTrace(summary.traceId)) expect(validateSpan(span, nowNano())).toBeUndefined();
      }
    }
    await expectStillServing();
  });

  it('truncated protobuf: every cut of a real request is 400 and stores nothing', async () => {
    const spans = [otlpSpan(), otlpSpan()];
    const body = encodeOtlpProtobuf(otlpRequest(spans));
    for (const cut of [1, 2, 10, Math.floor(body.length / 2), body.length - 1]) {
      const res = await post(`${collector.server.url}/v1/traces`, { headers: PB, body: body.subarray(0, cut) });
      expect(res.status).toBe(400);
      expect(decodeStatus(res.body).message).toMatch(/^bad_payload: .*truncated/);
    }
    for (const s of spans) expect(await store.getTrace(String(s.traceId))).toEqual([]);
  });

  it('an upload cut off mid-body (sender disconnects) stores nothing and harms nothing', async () => {
    const span = otlpSpan();
    const body = encodeOtlpProtobuf(otlpRequest([span]));
    const { port } = new URL(collector.server.url);
    await new Promise<void>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(
          `POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-protobuf\r\nContent-Length: ${body.length}\r\n\r\n`,
        );
        socket.end(body.subarray(0, body.length - 5));
      });
      socket.on('close', () => resolve());
      socket.on('error', reject);
      socket.resume();
    });
    expect(await store.getTrace(String(span.traceId))).toEqual([]);
    await expectStillServing();
  });

  it.each([
    ['an array', '[{"traceId":"x"}]'],
    ['a string', '"spans"'],
    ['resourceSpans as an object', '{"resourceSpans":{"scopeSpans":[]}}'],
    ['spans as a number', '{"resourceSpans":[{"scopeSpans":[{"spans":42}]}]}'],
    ['truncated JSON', '{"resourceSpans":[{"scopeSp'],
  ])('JSON of the wrong shape (%s) is 400 with a Status body', async (_name, body) => {
    const res = await post(`${collector.server.url}/v1/traces`, { headers: JSON_CT, body });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body.toString())).toMatchObject({
      code: 3,
      error: { code: 'bad_payload', message: expect.any(String) },
    });
  });

  it.each([
    [
      'protobuf attribute nested 100,000',
      () => {
        const deep = pb.span({
          traceId: 'ab'.repeat(16),
          start: nowNano(),
          end: nowNano(),
          extra: [pb.len(9, pb.keyValue('deep', pb.nestedAnyValue(100_000)))],
        });
        const ok = pb.span({ traceId: 'cd'.repeat(16), start: nowNano(), end: nowNano() });
        return { headers: PB, body: pb.exportRequest([deep, ok]), good: 'cd'.repeat(16), bad: 'ab'.repeat(16) };
      },
    ],
    // 50 levels of AnyValue are 150 of JSON: past the attribute limit (10), within the JSON one (256).
    [
      'JSON attribute nested 50',
      () => {
        const bad = otlpSpan({ attributes: [{ key: 'deep', value: '$DEEP$' }] });
        const good = otlpSpan();
        return {
          headers: JSON_CT,
          body: Buffer.from(withDeepValue(otlpRequest([bad, good]), 50)),
          good: String(good.traceId),
          bad: String(bad.traceId),
        };
      },
    ],
  ])('a %s levels deep rejects its span only', async (format, make) => {
    const { headers, body, good, bad } = make();
    const res = await post(`${collector.server.url}/v1/traces`, { headers, body });
    expect(res.status).toBe(200);
    const partial = format.startsWith('JSON')
      ? JSON.parse(res.body.toString()).partialSuccess
      : decodeExportResponse(res.body).partialSuccess;
    expect(partial).toMatchObject({ rejectedSpans: '1', errorMessage: expect.stringContaining('nested deeper than') });
    expect(await store.getTrace(good)).toHaveLength(1);
    expect(await store.getTrace(bad)).toEqual([]);
    await expectStillServing();
  });

  it('a JSON attribute nested 100,000 deep is refused whole with 400 too_deep (past 256 JSON levels), storing nothing', async () => {
    const bad = otlpSpan({ attributes: [{ key: 'deep', value: '$DEEP$' }] });
    const good = otlpSpan();
    const res = await post(`${collector.server.url}/v1/traces`, {
      headers: JSON_CT,
      body: Buffer.from(withDeepValue(otlpRequest([bad, good]), 100_000)),
    });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body.toString()).error).toMatchObject({
      code: 'too_deep',
      message: expect.stringContaining('256 levels'),
    });
    expect(await store.getTrace(String(good.traceId))).toEqual([]);
    await expectStillServing();
  });
});

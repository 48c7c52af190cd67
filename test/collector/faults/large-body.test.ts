import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeStatus, encodeOtlpProtobuf, otlpRequest, otlpSpan } from '../support/otlp-factory.js';
import { post } from '../support/http-post.js';
import type { Listening } from '../support/listen.js';
import { listenApp } from '../support/listen.js';
import { memorySpanStore } from '../support/memory-db.js';

/**
 * Faults: a 100 MB body, declared or streamed, and a gzip bomb. Each is refused with 413 without
 * the collector reading (let alone holding) the whole of it, and the collector keeps serving.
 */
const MB100 = 100 * 1024 * 1024;
const LIMIT = 8 * 1024 * 1024;
const PB = { 'content-type': 'application/x-protobuf' };

let small: Listening; // body limit 8 MiB
let defaults: Listening; // the default 64 MiB

beforeAll(async () => {
  small = await listenApp({ store: memorySpanStore(), config: { bodyLimitBytes: LIMIT } });
  defaults = await listenApp({ store: memorySpanStore() });
});
afterAll(async () => {
  await small.close();
  await defaults.close();
});

function expect413(res: { status: number; headers: Record<string, unknown>; body: Buffer }, what: RegExp): void {
  expect(res.status).toBe(413);
  expect(res.headers.connection).toBe('close');
  const status = decodeStatus(res.body);
  expect(status.message).toMatch(/^body_too_large: /);
  expect(status.message).toMatch(what);
}

describe('a 100 MB body', () => {
  it('declared by Content-Length is refused with 413 before it is read (default 64 MiB limit)', async () => {
    const res = await post(`${defaults.url}/v1/traces`, { headers: PB, streamBytes: MB100, declareLength: true });
    expect413(res, /Content-Length.*64 MiB/);
    expect(res.produced).toBeLessThan(MB100);
  });

  it('sent chunked is refused with 413 once past the limit, and the rest is never read', async () => {
    const res = await post(`${small.url}/v1/traces`, { headers: PB, streamBytes: MB100 });
    expect413(res, /request body is larger than .*8 MiB/);
    expect(res.produced).toBeLessThan(MB100);
  });

  it('sent to the Zipkin receiver is refused with 413 too', async () => {
    const res = await post(`${small.url}/api/v2/spans`, {
      headers: { 'content-type': 'application/json' },
      streamBytes: MB100,
      fill: 0x20,
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body.toString()).error.code).toBe('body_too_large');
    expect(res.produced).toBeLessThan(MB100);
  });

  it('compressed into a gzip bomb is refused with 413 while inflating', async () => {
    // 100 gzip members of 1 MiB of zeros each: ~100 KB on the wire, 100 MiB inflated.
    const member = gzipSync(Buffer.alloc(1024 * 1024), { level: 9 });
    const bomb = Buffer.concat(Array.from({ length: 100 }, () => member));
    expect(bomb.length).toBeLessThan(LIMIT);
    const res = await post(`${small.url}/v1/traces`, { headers: { ...PB, 'content-encoding': 'gzip' }, body: bomb });
    expect(res.status).toBe(413);
    expect(decodeStatus(res.body).message).toMatch(/decompressed body is larger/);
  });

  it('leaves the collector serving: a normal export afterwards is stored', async () => {
    const span = otlpSpan();
    const res = await post(`${small.url}/v1/traces`, { headers: PB, body: encodeOtlpProtobuf(otlpRequest([span])) });
    expect(res.status).toBe(200);
    const health = await fetch(`${small.url}/healthz`);
    expect(health.status).toBe(200);
  });
});

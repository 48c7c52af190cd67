import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CollectorProcess } from '../support/collector-process.js';
import { startCollectorProcess, stopProcess } from '../support/collector-process.js';
import { post } from '../support/http-post.js';
import { decodeStatus, encodeOtlpProtobuf, otlpRequest, otlpSpan } from '../support/otlp-factory.js';
import * as pb from '../support/proto-bytes.js';

/**
 * Faults: small bodies that would make the decoders build millions of values (a 31 KB gzip that
 * inflates to 30 MiB of `[{},{},…]` once took the collector down), wide protobuf (millions of empty
 * spans or attributes), and JSON nested a million deep. Against a real collector process with the
 * default limits: each is refused with the documented code naming the limit, /healthz answers
 * throughout, the process stays alive and under 512 MB of peak RSS, and valid spans are stored after.
 */
const JSON_GZIP = { 'content-type': 'application/json', 'content-encoding': 'gzip' };
const PB = { 'content-type': 'application/x-protobuf' };
const MiB = 1024 * 1024;

let collector: CollectorProcess;

beforeAll(async () => {
  collector = await startCollectorProcess(['--db', ':memory:']);
}, 30_000);
afterAll(async () => {
  await stopProcess(collector);
});

/** Polls /healthz until `work` settles; resolves with its result and every health status seen. */
async function whilePollingHealth<T>(work: Promise<T>): Promise<{ result: T; health: number[] }> {
  const health: number[] = [];
  let done = false;
  const polling = (async () => {
    while (!done) {
      health.push((await fetch(`${collector.url}/healthz`)).status);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  try {
    return { result: await work, health };
  } finally {
    done = true;
    await polling;
  }
}

/** `prefix` + `{},` repeated to `inflatedBytes` + `suffix`, gzipped. */
function emptyObjects(prefix: string, inflatedBytes: number, suffix: string): Buffer {
  const n = Math.floor(inflatedBytes / 3);
  return gzipSync(Buffer.from(`${prefix}${'{},'.repeat(n)}{}${suffix}`), { level: 9 });
}

const peakRssBytes = (): number => {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${collector.pid}/status`, 'utf8'));
  return Number(m?.[1]) * 1024;
};

describe('bodies that cost more than their bytes', () => {
  it.each([
    ['Zipkin', '/api/v2/spans', '[', ']'],
    ['OTLP/JSON', '/v1/traces', '{"resourceSpans":[{"scopeSpans":[{"spans":[', ']}]}]}'],
  ])(
    '%s: a small gzip of 30 MiB of [{},{},…] is refused with 413 too_many_values, /healthz answering',
    async (_name, path, prefix, suffix) => {
      const body = emptyObjects(prefix, 30 * MiB, suffix);
      expect(body.length).toBeLessThan(256 * 1024);
      const { result: res, health } = await whilePollingHealth(
        post(`${collector.url}${path}`, { headers: JSON_GZIP, body }),
      );
      expect(res.status).toBe(413);
      const error = JSON.parse(res.body.toString()).error as { code: string; message: string };
      expect(error.code).toBe('too_many_values');
      expect(error.message).toMatch(/more than 4194304 values/);
      expect(health.length).toBeGreaterThan(0);
      expect(health.every((s) => s === 200)).toBe(true);
    },
  );

  it('protobuf: 200,000 empty spans are refused with 413 too_many_spans', async () => {
    const body = gzipSync(pb.exportRequest(Array.from({ length: 200_000 }, () => Buffer.alloc(0))));
    const res = await post(`${collector.url}/v1/traces`, { headers: { ...PB, 'content-encoding': 'gzip' }, body });
    expect(res.status).toBe(413);
    expect(decodeStatus(res.body).message).toMatch(/^too_many_spans: .*more than 131072 spans/);
  });

  it('protobuf: one span with 5,000,000 empty attributes is refused with 413 too_many_values', async () => {
    const attributes = Buffer.alloc(5_000_000 * 2);
    for (let i = 0; i < attributes.length; i += 2) attributes[i] = 0x4a; // field 9 (attributes), length 0
    const body = gzipSync(pb.exportRequest([pb.span({ extra: [attributes] })]));
    const { result: res, health } = await whilePollingHealth(
      post(`${collector.url}/v1/traces`, { headers: { ...PB, 'content-encoding': 'gzip' }, body }),
    );
    expect(res.status).toBe(413);
    expect(decodeStatus(res.body).message).toMatch(/^too_many_values: /);
    expect(health.every((s) => s === 200)).toBe(true);
  });

  it('JSON nested 1,000,000 deep is a 400 too_deep naming the limit, refused before parsing', async () => {
    const depth = 1_000_000;
    const body = gzipSync(Buffer.from(`${'['.repeat(depth)}${']'.repeat(depth)}`));
    const res = await post(`${collector.url}/api/v2/spans`, { headers: JSON_GZIP, body });
    expect(res.status).toBe(400);
    const error = JSON.parse(res.body.toString()).error as { code: string; message: string };
    expect(error.code).toBe('too_deep');
    expect(error.message).toMatch(/deeper than 256 levels/);
  });

  it('leaves the collector alive, under 512 MB of peak RSS, storing valid spans', async () => {
    expect(collector.child.exitCode).toBeNull();
    const span = otlpSpan();
    const res = await post(`${collector.url}/v1/traces`, {
      headers: PB,
      body: encodeOtlpProtobuf(otlpRequest([span])),
    });
    expect(res.status).toBe(200);
    const trace = await fetch(`${collector.url}/api/traces/${String(span.traceId)}`);
    expect(trace.status).toBe(200);
    expect(peakRssBytes()).toBeLessThan(512 * MiB);
  });
});

import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CollectorProcess } from '../support/collector-process.js';
import { startCollectorProcess, stopProcess } from '../support/collector-process.js';
import { post } from '../support/http-post.js';
import { decodeStatus, encodeOtlpProtobuf, otlpRequest, otlpSpan } from '../support/otlp-factory.js';

/**
 * Fault: 16 concurrent large bodies against a collector with a small memory budget (8 MiB). Each
 * declares 1 MiB and stalls halfway, so all 16 are in flight at once: those the budget cannot take
 * are refused at once with 503 memory_budget_exceeded + Retry-After; the others, once their bodies
 * complete, are stored. Every refused batch is stored on retry, /healthz answers throughout, and the
 * process's peak RSS stays bounded.
 */
const MiB = 1024 * 1024;
const PB = { 'content-type': 'application/x-protobuf' };

let collector: CollectorProcess;

beforeAll(async () => {
  collector = await startCollectorProcess(['--db', ':memory:', '--memory-budget', '8MiB']);
}, 30_000);
afterAll(async () => {
  await stopProcess(collector);
});

/** A valid export of about 1 MiB: 16 spans, each with a 64 KiB attribute. */
function bigBatch(): { body: Buffer; traceId: string } {
  const spans = Array.from({ length: 16 }, () =>
    otlpSpan({ attributes: [{ key: 'payload', value: { stringValue: 'x'.repeat(64 * 1024) } }] }),
  );
  return { body: encodeOtlpProtobuf(otlpRequest(spans)), traceId: String(spans[0]?.traceId) };
}

interface Answer {
  status: number;
  retryAfter: string | undefined;
  body: Buffer;
}

/** Sends the first half of the body, waits for `release`, then the rest; resolves with the answer. */
function stalledPost(body: Buffer, release: Promise<void>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${collector.url}/v1/traces`, {
      method: 'POST',
      headers: { ...PB, 'content-length': body.length },
    });
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'], body: Buffer.concat(chunks) });
        req.destroy();
      });
    });
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    req.write(body.subarray(0, body.length / 2));
    void release.then(() => {
      if (!answered) req.end(body.subarray(body.length / 2));
    });
  });
}

const peakRssBytes = (): number =>
  Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${collector.pid}/status`, 'utf8'))?.[1]) * 1024;

describe('16 concurrent large bodies against an 8 MiB memory budget', () => {
  it('refuses some with 503 + Retry-After, stores the others, and stores the refused ones on retry', async () => {
    const batches = Array.from({ length: 16 }, bigBatch);
    expect(batches[0]?.body.length).toBeGreaterThan(MiB);
    let releaseBodies = (): void => {};
    const release = new Promise<void>((r) => (releaseBodies = r));
    const answers = batches.map((b) => stalledPost(b.body, release));
    // Let every request reach the collector with half its body, then finish them all.
    await new Promise((r) => setTimeout(r, 500));
    const health = await fetch(`${collector.url}/healthz`);
    expect(health.status).toBe(200);
    releaseBodies();
    const results = await Promise.all(answers);

    const refused = results.filter((r) => r.status === 503);
    const stored = results.filter((r) => r.status === 200);
    expect(refused.length + stored.length).toBe(16);
    expect(refused.length).toBeGreaterThan(0);
    expect(stored.length).toBeGreaterThan(0);
    for (const r of refused) {
      expect(decodeStatus(r.body).message).toMatch(/^memory_budget_exceeded: .*memory budget of 8 MiB/);
      expect(Number(r.retryAfter)).toBeGreaterThan(0);
    }
    for (const [i, r] of results.entries()) {
      if (r.status === 200) continue;
      const retry = await post(`${collector.url}/v1/traces`, { headers: PB, body: batches[i]?.body as Buffer });
      expect(retry.status).toBe(200);
    }
    for (const b of batches) {
      const trace = await fetch(`${collector.url}/api/traces/${b.traceId}`);
      expect(trace.status).toBe(200);
    }
    expect(collector.child.exitCode).toBeNull();
    expect(peakRssBytes()).toBeLessThan(512 * MiB);
  });
});

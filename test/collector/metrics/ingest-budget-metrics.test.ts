import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCollectorConfig } from '../../../collector/config.js';
import type { RunningCollector } from '../../../collector/main.js';
import { startCollector } from '../../../collector/main.js';
import { encodeOtlpProtobuf, otlpRequest, otlpSpan } from '../support/otlp-factory.js';

/**
 * The memory budget and the decode limits on /metrics: a collector with a 1 MiB body limit (so
 * 65,536 values and 2,048 spans per body) and a 4 MiB memory budget is sent one body of each
 * refusal, then scraped. Every figure is checked against what was sent. For the budget's refusal, a
 * stalled upload holds 3 MiB of it (three times its declared 1 MiB) while another asks for 1.8 MiB.
 */
const MiB = 1024 * 1024;
let collector: RunningCollector;

beforeAll(async () => {
  const config = readCollectorConfig(
    {
      port: '0',
      host: '127.0.0.1',
      db: ':memory:',
      'log-level': 'silent',
      'body-limit': '1MiB',
      'memory-budget': '4MiB',
    },
    {},
  );
  collector = await startCollector(config);
  await collector.opening.opened();
}, 30_000);
afterAll(async () => {
  await collector.close();
});

const post = async (path: string, type: string, body: Buffer | string): Promise<number> => {
  const res = await fetch(`${collector.url}${path}`, { method: 'POST', headers: { 'content-type': type }, body });
  await res.arrayBuffer();
  return res.status;
};

/** Starts an upload declaring `bytes`, sends a part of it and stalls; call the result to end it. */
async function stalledUpload(bytes: number): Promise<() => void> {
  const req = request(`${collector.url}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf', 'content-length': bytes },
  });
  req.on('error', () => {});
  req.write(Buffer.alloc(1024));
  // Once the collector has read the headers, the reservation is held.
  while ((sample(await scrape(), 'infertrace_memory_budget_in_use_bytes') ?? 0) < 3 * MiB)
    await new Promise((r) => setTimeout(r, 20));
  return () => req.destroy();
}

const scrape = async (): Promise<string> => (await fetch(`${collector.url}/metrics`)).text();

/** The value of the sample `name{labels}` (exact text before the value) in the Prometheus text. */
const sample = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('/metrics shows the memory budget and the decode limits hit', () => {
  it('counts each refusal under its name, and the budget given back once requests end', async () => {
    const deep = `${'['.repeat(300)}${']'.repeat(300)}`;
    const wide = `[${'{},'.repeat(70_000)}{}]`;
    const spans = encodeOtlpProtobuf(otlpRequest(Array.from({ length: 2_100 }, () => otlpSpan())));
    const costly = encodeOtlpProtobuf(
      otlpRequest([otlpSpan({ attributes: [{ key: 'payload', value: { stringValue: 'x'.repeat(600_000) } }] })]),
    );
    expect(spans.length).toBeLessThan(MiB);
    expect(await post('/api/v2/spans', 'application/json', deep)).toBe(400);
    expect(await post('/api/v2/spans', 'application/json', wide)).toBe(413);
    expect(await post('/v1/traces', 'application/json', wide)).toBe(413);
    expect(await post('/v1/traces', 'application/x-protobuf', spans)).toBe(413);
    const endStalled = await stalledUpload(MiB);
    expect(await post('/v1/traces', 'application/x-protobuf', costly)).toBe(503);
    endStalled();
    expect(await post('/v1/traces', 'application/x-protobuf', encodeOtlpProtobuf(otlpRequest([otlpSpan()])))).toBe(200);

    // The stalled upload's share comes back when the collector sees its connection close.
    let text = await scrape();
    while (sample(text, 'infertrace_memory_budget_in_use_bytes') !== 0) {
      await new Promise((r) => setTimeout(r, 20));
      text = await scrape();
    }
    expect(sample(text, 'infertrace_ingest_decode_limit_hits_total{limit="depth"}')).toBe(1);
    expect(sample(text, 'infertrace_ingest_decode_limit_hits_total{limit="values"}')).toBe(2);
    expect(sample(text, 'infertrace_ingest_decode_limit_hits_total{limit="spans"}')).toBe(1);
    expect(sample(text, 'infertrace_memory_budget_limit_bytes')).toBe(4 * MiB);
    expect(sample(text, 'infertrace_memory_budget_refusals_total')).toBe(1);
    expect(sample(text, 'infertrace_memory_budget_in_use_bytes')).toBe(0);
    expect(text).toMatch(/^# TYPE infertrace_memory_budget_in_use_bytes gauge$/m);
  });
});

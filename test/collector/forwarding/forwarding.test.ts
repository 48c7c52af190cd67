import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../../collector/app.js';
import { destination, type DestinationKind } from '../../../collector/forwarding/destination.js';
import { exportStatusPlugin } from '../../../collector/forwarding/export-status-plugin.js';
import type { ForwardConfig } from '../../../collector/forwarding/forward-config.js';
import { createForwarding, type Forwarding } from '../../../collector/forwarding/forwarding.js';
import { toZipkinSpans } from '../../../collector/zipkin/zipkin-mapping.js';
import type { ZipkinSpan } from '../../../collector/zipkin/zipkin-types.js';
import { withSpanListeners } from '../../../collector/storage/span-listener.js';
import type { SpanStore } from '../../../collector/storage/span-store.js';
import { AREA_SCHEMA_STEPS } from '../../../collector/area-schema.js';
import { openSqliteStore, type SqliteStore } from '../../../collector/storage/sqlite/sqlite-store.js';
import type { SpanRecord } from '../../../shared/span-record.js';
import { decodeOtlpJson } from '../support/decode-otlp-json.js';
import { FakeReceiver, waitFor } from '../support/fake-receiver.js';
import { makeSpan } from '../support/span-builder.js';

/**
 * Forwarding end to end: spans written to the SQLite store reach in-process fake Jaeger (OTLP/HTTP)
 * and Zipkin receivers exactly as mapped, through every fault the issue names.
 */
let dir: string;
let opened: { sqlite: SqliteStore; store: SpanStore; forwarding: Forwarding }[] = [];
let receivers: FakeReceiver[] = [];
let warnings: string[] = [];

function config(targets: [DestinationKind, string][], overrides: Partial<ForwardConfig> = {}): ForwardConfig {
  return {
    destinations: targets.map(([kind, url]) => destination(kind, url)),
    maxSpans: 1_000,
    batchSpans: 100,
    timeoutMs: 5_000,
    backoff: { baseMs: 20, maxMs: 200 },
    ...overrides,
  };
}

function openCollector(cfg: ForwardConfig): { sqlite: SqliteStore; store: SpanStore; forwarding: Forwarding } {
  const sqlite = openSqliteStore({ path: join(dir, 'collector.db'), schemaSteps: AREA_SCHEMA_STEPS });
  const forwarding = createForwarding(sqlite.db, cfg, {
    log: { info: () => {}, warn: (m) => warnings.push(m) },
  });
  const store = withSpanListeners(sqlite, [forwarding.listener], (_name, error) => {
    throw error;
  });
  forwarding.start();
  const c = { sqlite, store, forwarding };
  opened.push(c);
  return c;
}

async function closeCollector(c: { sqlite: SqliteStore; forwarding: Forwarding }): Promise<void> {
  await c.forwarding.stop();
  await c.sqlite.close();
  opened = opened.filter((o) => o !== c);
}

async function receiver(kind: DestinationKind): Promise<FakeReceiver> {
  const r = await new FakeReceiver(kind === 'otlp' ? '/v1/traces' : '/api/v2/spans').up();
  receivers.push(r);
  return r;
}

let nextId = 1;
function spans(n: number, service = 'iris-sidecar'): SpanRecord[] {
  return Array.from({ length: n }, () => {
    const id = (nextId++).toString(16).padStart(16, '0');
    return makeSpan({
      spanId: id,
      traceId: `${id}${id}`,
      serviceName: service,
      resource: { 'service.name': service },
      attributes: { 'ml.model.name': 'iris', 'ml.batch.size': 2, 'ml.input.x': [1.5, 2.5] },
      events: [{ timeUnixNano: 1_706_678_909_210_000_000n, name: 'retry', attributes: { attempt: 1 } }],
    });
  });
}

const byId = (a: { spanId: string }, b: { spanId: string }): number => (a.spanId < b.spanId ? -1 : 1);
const otlpSpans = (r: FakeReceiver): SpanRecord[] => r.received.flatMap((x) => decodeOtlpJson(x.body)).sort(byId);
const zipkinSpans = (r: FakeReceiver): ZipkinSpan[] =>
  r.received.flatMap((x) => JSON.parse(x.body) as ZipkinSpan[]).sort((a, b) => (a.id < b.id ? -1 : 1));
const zipkinOf = (list: SpanRecord[]): ZipkinSpan[] => toZipkinSpans([...list].sort(byId));
const stats = (c: { forwarding: Forwarding }, i = 0) => c.forwarding.stats()[i]!;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'infertrace-forward-'));
  warnings = [];
});
afterEach(async () => {
  for (const c of [...opened]) await closeCollector(c);
  for (const r of receivers) await r.down();
  receivers = [];
  await rm(dir, { recursive: true, force: true });
});

describe('forwarding to Jaeger (OTLP) and Zipkin', () => {
  it('delivers every stored span to both, exactly as mapped', async () => {
    const jaeger = await receiver('otlp');
    const zipkin = await receiver('zipkin');
    jaeger.answer = () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{}' });
    zipkin.answer = () => ({ status: 202 });
    const c = openCollector(
      config([
        ['otlp', jaeger.url],
        ['zipkin', zipkin.url],
      ]),
    );
    const sent = [...spans(3), ...spans(2, 'iris-model')];
    await c.store.writeSpans(sent.slice(0, 3));
    await c.store.writeSpans(sent.slice(3));
    await waitFor(
      'both destinations to have every span',
      () => stats(c, 0).sentSpans === 5 && stats(c, 1).sentSpans === 5,
    );
    expect(otlpSpans(jaeger)).toStrictEqual([...sent].sort(byId));
    expect(zipkinSpans(zipkin)).toStrictEqual(zipkinOf(sent));
    expect(stats(c, 0)).toMatchObject({
      pendingSpans: 0,
      droppedSpans: { outboxFull: 0, rejected: 0 },
      lastError: null,
    });
  });

  it('loses nothing while a destination is down, and delivers once it is back', async () => {
    const jaeger = await receiver('otlp');
    await jaeger.down();
    const c = openCollector(config([['otlp', jaeger.url]]));
    const sent = spans(6);
    for (const s of sent) await c.store.writeSpans([s]);
    await waitFor('several failed attempts', () => stats(c).failedAttempts >= 3);
    expect(stats(c)).toMatchObject({ pendingSpans: 6, sentSpans: 0 });
    expect(stats(c).lastError).toContain('ECONNREFUSED');
    expect(warnings.filter((w) => w.includes('failed'))).toHaveLength(1);
    await jaeger.up();
    await waitFor('the outbox to drain', () => stats(c).pendingSpans === 0);
    expect(otlpSpans(jaeger)).toStrictEqual([...sent].sort(byId));
    expect(stats(c)).toMatchObject({ sentSpans: 6, consecutiveFailures: 0 });
  });

  it('waits as long as a 429 answer’s Retry-After says', async () => {
    const zipkin = await receiver('zipkin');
    zipkin.answer = (i) => (i === 0 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 202 });
    // Backoff alone would retry within 20 ms; the longest wait allowed is well above the header's.
    const c = openCollector(config([['zipkin', zipkin.url]], { backoff: { baseMs: 20, maxMs: 5_000 } }));
    const sent = spans(2);
    await c.store.writeSpans(sent);
    await waitFor('the retried delivery', () => stats(c).sentSpans === 2);
    const [first, second] = zipkin.received;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(1_000);
    expect(JSON.parse(second?.body ?? '[]')).toStrictEqual(zipkinOf(sent));
    expect(stats(c)).toMatchObject({ failedAttempts: 1, pendingSpans: 0 });
  });

  it('drops and counts batches refused with 400, logs that once, and never retries them', async () => {
    const jaeger = await receiver('otlp');
    jaeger.answer = () => ({
      status: 400,
      body: '{"code":3,"message":"invalid span: attribute ml.input.email = bob@example.com"}',
    });
    const c = openCollector(config([['otlp', jaeger.url]]));
    await c.store.writeSpans(spans(3));
    await waitFor('the first refusal', () => stats(c).droppedSpans.rejected === 3);
    await c.store.writeSpans(spans(2));
    await waitFor('the second refusal', () => stats(c).droppedSpans.rejected === 5);
    expect(jaeger.received).toHaveLength(2);
    expect(stats(c)).toMatchObject({ pendingSpans: 0, failedAttempts: 0, sentSpans: 0 });
    // The status, never the body: a destination's message can quote what it refused.
    expect(stats(c).lastError).toBe('HTTP 400');
    expect(warnings.filter((w) => w.includes('refused'))).toHaveLength(1);
    expect(warnings.join('\n')).not.toContain('bob@example.com');
  });

  it('keeps a full outbox across a collector restart and delivers it afterwards', async () => {
    const zipkin = await receiver('zipkin');
    await zipkin.down();
    const cfg = config([['zipkin', zipkin.url]], { maxSpans: 8 });
    const first = openCollector(cfg);
    const sent = spans(8);
    await first.store.writeSpans(sent.slice(0, 4));
    await first.store.writeSpans(sent.slice(4));
    await waitFor('a failed attempt', () => stats(first).failedAttempts >= 1);
    expect(stats(first)).toMatchObject({ pendingSpans: 8, droppedSpans: { outboxFull: 0, rejected: 0 } });
    await closeCollector(first);

    zipkin.answer = () => ({ status: 202 });
    await zipkin.up();
    const second = openCollector(cfg);
    await waitFor('the restored outbox to drain', () => stats(second).sentSpans === 8);
    expect(zipkinSpans(zipkin)).toStrictEqual(zipkinOf(sent));
    expect(stats(second).pendingSpans).toBe(0);
  });

  it('drops the oldest spans beyond its bound, counts them, says so once, and delivers the rest', async () => {
    const jaeger = await receiver('otlp');
    await jaeger.down();
    const c = openCollector(config([['otlp', jaeger.url]], { maxSpans: 4, batchSpans: 1 }));
    const sent = spans(7);
    await c.store.writeSpans(sent); // seven one-span rows in one go: the three oldest cannot stay
    await waitFor('a failed attempt', () => stats(c).failedAttempts >= 1);
    expect(stats(c)).toMatchObject({ pendingSpans: 4, droppedSpans: { outboxFull: 3, rejected: 0 } });
    expect(warnings.filter((w) => w.includes('outbox is full'))).toHaveLength(1);
    await jaeger.up();
    await waitFor('the outbox to drain', () => stats(c).pendingSpans === 0);
    expect(otlpSpans(jaeger)).toStrictEqual(sent.slice(3).sort(byId));
  });

  it('empties the lane of a destination that is no longer configured', async () => {
    const gone = await receiver('otlp');
    await gone.down();
    const first = openCollector(config([['otlp', gone.url]]));
    await first.store.writeSpans(spans(2));
    await closeCollector(first);
    const zipkin = await receiver('zipkin');
    const second = openCollector(config([['zipkin', zipkin.url]]));
    expect(warnings.some((w) => w.includes('dropped 2 spans') && w.includes(gone.url))).toBe(true);
    expect(stats(second).pendingSpans).toBe(0);
  });

  it('reports each destination on GET /api/export/status', async () => {
    const zipkin = await receiver('zipkin');
    zipkin.answer = () => ({ status: 202 });
    const c = openCollector(config([['zipkin', zipkin.url]]));
    await c.store.writeSpans(spans(2));
    await waitFor('delivery', () => stats(c).sentSpans === 2);
    const app = buildApp({ store: c.store, plugins: [exportStatusPlugin(c.forwarding)] });
    const res = await app.inject({ method: 'GET', url: '/api/export/status' });
    await app.close();
    expect(res.json()).toStrictEqual({
      destinations: [
        {
          destination: `zipkin ${zipkin.url}`,
          kind: 'zipkin',
          url: zipkin.url,
          pendingSpans: 0,
          sentSpans: 2,
          sentRequests: 1,
          failedAttempts: 0,
          droppedSpans: { outboxFull: 0, rejected: 0 },
          consecutiveFailures: 0,
          lastError: null,
          nextAttemptAt: null,
          oldestPendingAt: null,
        },
      ],
    });
  });
});

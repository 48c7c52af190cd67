import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCollectorConfig } from '../../../collector/config.js';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startCollector } from '../../../collector/main.js';
import { randomTraceId } from '../../../shared/ids.js';
import type { CollectorProcess } from '../support/collector-process.js';
import { startCollectorProcess, stopProcess } from '../support/collector-process.js';
import { post } from '../support/http-post.js';
import { otlpRequest, otlpSpan } from '../support/otlp-factory.js';
import { openTestSqliteStore } from '../support/sqlite-store.js';
import { reapTestChildren } from '../../support/child-processes.js';

/**
 * Faults: a database on a read-only file system, and one whose disk fills up. The collector runs
 * in a mount namespace of its own (unshare) where its folder is a read-only bind mount or a small
 * tmpfs, so nothing outside the test changes. It must say why, answer 503 with Retry-After, never
 * exit (no crash loop), and take spans again once space is freed.
 */
const JSON_CT = { 'content-type': 'application/json' };

/** unshare as root (a private mount namespace), or as a user with a user namespace. */
function unsharePrefix(): string[] | undefined {
  for (const prefix of [
    ['unshare', '-m', '--propagation', 'private'],
    ['unshare', '-rm', '--propagation', 'private'],
  ]) {
    const probe = spawnSync(prefix[0] as string, [...prefix.slice(1), 'sh', '-c', 'mount -t tmpfs tmpfs /mnt']);
    if (probe.status === 0) return prefix;
  }
  return undefined;
}
const UNSHARE = unsharePrefix();
const SKIP_REASON = 'needs mount namespaces (unshare with mount rights: root, or unprivileged user namespaces)';

const dirs: string[] = [];
// Ends the collector processes a failed test left running.
afterEach(reapTestChildren);
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'infertrace-store-fault-'));
  dirs.push(d);
  return d;
};

function spans(n: number) {
  const traceId = randomTraceId();
  // Large attribute values fill the disk in few requests.
  return otlpRequest(
    Array.from({ length: n }, () =>
      otlpSpan({ traceId, attributes: [{ key: 'ml.input.text', value: { stringValue: 'x'.repeat(2000) } }] }),
    ),
  );
}

async function send(p: CollectorProcess, n = 50) {
  const res = await post(`${p.url}/v1/traces`, { headers: JSON_CT, body: JSON.stringify(spans(n)) });
  return {
    status: res.status,
    retryAfter: res.headers['retry-after'],
    body: JSON.parse(res.body.toString()) as { error?: { code: string; message: string } },
  };
}

describe.skipIf(UNSHARE === undefined)(`a database that cannot be written (skipped if absent: ${SKIP_REASON})`, () => {
  it('read-only: the collector stays up, says why on /healthz and in its log, and answers 503 with Retry-After', async () => {
    const dir = tempDir();
    const db = join(dir, 'spans.db');
    await (await openTestSqliteStore(db)).close();
    const readOnly = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"';
    const p = await startCollectorProcess(['--db', db], {
      wrap: [...(UNSHARE as string[]), 'sh', '-c', readOnly, dir],
    });
    try {
      const health = await fetch(`${p.url}/healthz`);
      expect(health.status).toBe(503);
      const reason = ((await health.json()) as { error: { message: string } }).error.message;
      expect(reason).toContain(db);
      for (let i = 0; i < 3; i++) {
        const res = await send(p);
        expect(res.status).toBe(503);
        expect(res.body.error?.code).toBe('store_unavailable');
        expect(res.body.error?.message).toContain(db);
        expect(Number(res.retryAfter)).toBeGreaterThan(0);
      }
      expect(p.output()).toMatch(/cannot open the span database .* retrying/);
      expect(p.child.exitCode).toBeNull();
    } finally {
      expect(await stopProcess(p)).toEqual({ code: 0, signal: null });
    }
  });

  it('full disk: writes get 503 with Retry-After, the collector keeps running, and ingest resumes once space is freed', async () => {
    const dir = tempDir();
    const dataDir = join(dir, 'data');
    mkdirSync(dataDir);
    const db = join(dataDir, 'spans.db');
    const smallDisk = 'mount -t tmpfs -o size=3m tmpfs "$0" && exec "$@"';
    const p = await startCollectorProcess(['--db', db], {
      wrap: [...(UNSHARE as string[]), 'sh', '-c', smallDisk, dataDir],
    });
    // The child's view of its own tmpfs, from outside its mount namespace.
    const filler = join(`/proc/${p.pid}/root`, dataDir, 'filler');
    try {
      expect((await send(p)).status).toBe(200);
      writeFileSync(filler, Buffer.alloc(1024 * 1024));
      let full: Awaited<ReturnType<typeof send>> | undefined;
      for (let i = 0; i < 100 && full === undefined; i++) {
        const res = await send(p);
        if (res.status !== 200) full = res;
      }
      expect(full?.status).toBe(503);
      expect(full?.body.error?.code).toBe('store_unavailable');
      expect(full?.body.error?.message).toMatch(/full/);
      expect(Number(full?.retryAfter)).toBeGreaterThan(0);
      expect((await fetch(`${p.url}/healthz`)).status).toBe(200);
      expect(p.child.exitCode).toBeNull();

      unlinkSync(filler);
      expect((await send(p, 5)).status).toBe(200);
    } finally {
      expect(await stopProcess(p)).toEqual({ code: 0, signal: null });
    }
  });
});

describe('a database that cannot be opened at first', () => {
  it('is opened by retrying, without a restart: until then the APIs and ingest answer 503 with Retry-After, then they serve', async () => {
    const dir = tempDir();
    const blocker = join(dir, 'volume');
    writeFileSync(blocker, 'not a folder yet'); // the database's folder cannot be created: the volume is "not mounted"
    const config = readCollectorConfig(
      { host: '127.0.0.1', port: '0', db: join(blocker, 'spans.db'), 'log-level': 'silent', retention: '0' },
      {},
    );
    const collector = await startCollector(config, { storeRetryMs: 20 });
    try {
      const health = await fetch(`${collector.url}/healthz`);
      expect(health.status).toBe(503);
      expect(((await health.json()) as { error: { message: string } }).error.message).toContain(blocker);
      const ingest = await post(`${collector.url}/v1/traces`, { headers: JSON_CT, body: JSON.stringify(spans(2)) });
      expect(ingest.status).toBe(503);
      expect(JSON.parse(ingest.body.toString()).error.code).toBe('store_unavailable');
      expect(Number(ingest.headers['retry-after'])).toBeGreaterThan(0);
      for (const path of ['/api/services', '/api/drift?model=m', '/api/alerts', '/api/export/status']) {
        const res = await fetch(`${collector.url}${path}`);
        expect({ path, status: res.status }).toEqual({ path, status: 503 });
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('store_unavailable');
      }
      expect((await fetch(`${collector.url}/metrics`)).status).toBe(200);

      unlinkSync(blocker);
      await collector.opening.opened();
      expect(collector.opening.status()).toEqual({ ok: true });
      const res = await post(`${collector.url}/v1/traces`, { headers: JSON_CT, body: JSON.stringify(spans(2)) });
      expect(res.status).toBe(200);
      expect((await fetch(`${collector.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${collector.url}/api/services`)).status).toBe(200);
    } finally {
      await collector.close();
    }
  });
});

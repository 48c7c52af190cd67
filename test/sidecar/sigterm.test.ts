import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reapTestChildren, spawnTestChild } from '../support/child-processes.js';
import { repoRoot } from '../support/repo-root.js';
import { startOtlpReceiver, type OtlpReceiver } from './support/otlp-receiver.js';
import { startUpstream, until, type TestUpstream } from './support/upstream.js';
import { EXIT } from '../../shared/exit-codes.js';

let receiver: OtlpReceiver;
let upstream: TestUpstream;
let release!: () => void;
const released = new Promise<void>((r) => (release = r));

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  upstream = await startUpstream((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('started;');
    void released.then(() => res.end('finished'));
  });
});
afterAll(async () => {
  release();
  await upstream.close();
  await receiver.close();
});

describe('infertrace sidecar as a process', () => {
  it('on SIGTERM stops accepting, drains the in-flight request, flushes its spans and exits 0', async () => {
    const child = spawnTestChild(
      process.execPath,
      [
        '--import',
        'tsx',
        join(repoRoot, 'bin/infertrace.ts'),
        'sidecar',
        '--upstream',
        upstream.url,
        '--listen',
        '127.0.0.1:0',
        '--admin-port',
        '0',
      ],
      {
        cwd: repoRoot,
        env: {
          ...process.env,
          OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.endpoint,
          // Spans leave only through the shutdown flush.
          OTEL_BSP_SCHEDULE_DELAY: '600000',
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      await until(() => /admin http:\/\/\S+;/.test(stderr) || child.exitCode !== null);
      const m = /infertrace sidecar: (http:\/\/\S+) → .*admin (http:\/\/\S+);/.exec(stderr);
      expect(m, stderr).not.toBeNull();
      const [, url, adminUrl] = m as unknown as [string, string, string];

      const inFlight = request(`${url}/v2/models/m/infer`, {
        method: 'POST',
        body: '{}',
        headers: { 'x-request-id': 'drain-me' },
      });
      await until(() => upstream.received.length === 1);
      child.kill('SIGTERM');
      await until(() => stderr.includes('SIGTERM'));

      const ready = await request(`${adminUrl}/readyz`);
      expect(ready.statusCode).toBe(503);
      expect(((await ready.body.json()) as { error: { code: string } }).error.code).toBe('draining');
      await expect(request(`${url}/other`)).rejects.toThrow();

      release();
      const res = await inFlight;
      expect(res.statusCode).toBe(200);
      expect(await res.body.text()).toBe('started;finished');
      expect(await exited).toBe(0);
      const server = receiver.spans.find((s) => s.attributes['ml.request.id'] === 'drain-me');
      expect(server?.kind).toBe(2);
      // The command wires payload capture in: the SERVER span says what it did with the body.
      expect(server?.attributes).toHaveProperty('ml.capture');
      expect(receiver.spans.filter((s) => s.traceId === server?.traceId)).toHaveLength(2);
    } finally {
      await reapTestChildren();
    }
  });

  it('exits 78 (EX_CONFIG) and names the variable when the configuration is wrong', async () => {
    const child = spawnTestChild(
      process.execPath,
      ['--import', 'tsx', join(repoRoot, 'bin/infertrace.ts'), 'sidecar', '--admin-port', 'x'],
      {
        cwd: repoRoot,
        env: { ...process.env, INFERTRACE_UPSTREAM: '' },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(EXIT.config);
    expect(stderr).toContain('--upstream / INFERTRACE_UPSTREAM is required');
    expect(stderr).toContain('--admin-port / INFERTRACE_ADMIN_PORT');
  });
});

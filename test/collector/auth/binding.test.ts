import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isLoopback } from '../../../collector/auth/binding.js';
import { tokenHashText } from '../../../collector/auth/token-hash.js';
import { readCollectorConfig } from '../../../collector/config.js';
import type { RunningCollector } from '../../../collector/main.js';
import { startCollector } from '../../../collector/main.js';
import { repoRoot } from '../../support/repo-root.js';

let collector: RunningCollector | undefined;
afterEach(async () => {
  await collector?.close();
  collector = undefined;
});

const start = (flags: Record<string, string | boolean>, env: NodeJS.ProcessEnv = {}): Promise<RunningCollector> =>
  startCollector(readCollectorConfig({ port: '0', db: ':memory:', 'log-level': 'silent', ...flags }, env));

describe('where the collector listens, and who may come in', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['0.0.0.0', false],
    ['::', false],
    ['10.0.0.5', false],
    ['example.com', false],
    ['128.0.0.1', false],
  ])('%s is loopback: %s', (host, loopback) => {
    expect(isLoopback(host)).toBe(loopback);
  });

  it('listens on loopback by default', () => {
    expect(readCollectorConfig({}, {}).host).toBe('127.0.0.1');
  });

  it('refuses to listen on every address without tokens, saying how to add one', async () => {
    const err = await start({ host: '0.0.0.0' }).catch((e: unknown) => e as Error);
    expect(String(err)).toMatch(/refusing to listen on 0\.0\.0\.0 without authentication/);
    expect(String(err)).toContain('--tokens-file');
    expect(String(err)).toContain('infertrace token');
  });

  it('listens there with --insecure-no-auth, and /healthz says the door is open', async () => {
    collector = await start({ host: '0.0.0.0', 'insecure-no-auth': true });
    expect(collector.auth.mode).toBe('insecure');
    const health = (await (await fetch(`${collector.url}/healthz`)).json()) as { status: string; warning?: string };
    expect(health.status).toBe('ok');
    expect(health.warning).toMatch(/authentication is off/);
    expect((await fetch(`${collector.url}/api/services`)).status).toBe(200);
  });

  it('listens there with tokens, and requires them', async () => {
    collector = await start({ host: '0.0.0.0' }, { INFERTRACE_TOKENS: `ops read ${tokenHashText('ops-token')}` });
    expect((await fetch(`${collector.url}/api/services`)).status).toBe(401);
    expect(
      (await fetch(`${collector.url}/api/services`, { headers: { authorization: 'Bearer ops-token' } })).status,
    ).toBe(200);
    expect(await (await fetch(`${collector.url}/healthz`)).json()).toEqual({
      status: 'ok',
      retention: { lastPassAt: null, lastPassFailed: false },
    });
  });

  it('on loopback without tokens, lets this machine in', async () => {
    collector = await start({ host: '127.0.0.1' });
    expect(collector.auth.mode).toBe('loopback-open');
    expect((await fetch(`${collector.url}/api/services`)).status).toBe(200);
  });

  it('/metrics needs a read token unless --metrics-auth open', async () => {
    const tokens = { INFERTRACE_TOKENS: `ops read ${tokenHashText('ops-token')}` };
    collector = await start({}, tokens);
    expect((await fetch(`${collector.url}/metrics`)).status).toBe(401);
    await collector.close();
    collector = await start({ 'metrics-auth': 'open' }, tokens);
    expect((await fetch(`${collector.url}/metrics`)).status).toBe(200);
    expect((await fetch(`${collector.url}/api/services`)).status).toBe(401);
  });

  it('`infertrace collector --host 0.0.0.0` without tokens exits 2 with the message', async () => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(repoRoot, 'bin', 'infertrace.ts'),
        'collector',
        '--host',
        '0.0.0.0',
        '--port',
        '0',
        '--db',
        ':memory:',
      ],
      {
        cwd: repoRoot,
        env: { ...process.env, INFERTRACE_TOKENS: '', INFERTRACE_TOKENS_FILE: '', INFERTRACE_INSECURE_NO_AUTH: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(err).toContain('refusing to listen on 0.0.0.0 without authentication');
  });
});

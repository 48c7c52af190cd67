import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { reapTestChildren, spawnTestChild } from '../support/child-processes.js';
import { EXIT } from '../../shared/exit-codes.js';
import { repoRoot } from '../support/repo-root.js';
import { run as traceCommand } from '../../collector/cli/trace.js';
import { runCli } from '../collector/support/cli-io.js';

// `infertrace up` as a user runs it (here on free ports): the three parts start, demo traffic
// flows through the sidecar, and the collector can tell what happened to one request — to the
// holder of the token up made, and to nobody else.
const SENT = /see one with:\s+INFERTRACE_TOKEN_FILE=(\S+) npx infertrace trace (\S+) --collector (\S+)\n/;

describe('infertrace up', () => {
  const dir = mkdtempSync(join(tmpdir(), 'infertrace-up-'));
  const child = spawnTestChild(
    process.execPath,
    [
      '--import',
      'tsx',
      'bin/infertrace.ts',
      'up',
      '--port',
      '0',
      '--admin-port',
      '0',
      '--collector-port',
      '0',
      '--model-port',
      '0',
      '--db',
      join(dir, 'up.db'),
      '--demo',
      '2',
    ],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, OTEL_EXPORTER_OTLP_HEADERS: '', INFERTRACE_HMAC_KEY: '', INFERTRACE_HMAC_KEY_FILE: '' },
    },
  );
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));

  const exited = new Promise((resolve) => child.once('exit', resolve));

  afterAll(async () => {
    // Stopped as a user stops it; whatever does not end with it is killed.
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    await reapTestChildren();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves traced inference and answers for a demo request, to its token only', async () => {
    const deadline = Date.now() + 25_000;
    while (!SENT.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const m = SENT.exec(out);
    expect(m, out).not.toBeNull();
    const [, tokenFile, requestId, collector] = m as unknown as [string, string, string, string];
    const token = readFileSync(tokenFile, 'utf8').trim();
    expect((await fetch(`${collector}/api/requests/${requestId}`)).status).toBe(401);
    let traces: { spans: { attributes: Record<string, unknown>; kind: string }[] }[] = [];
    while (traces.length === 0 && Date.now() < deadline) {
      const res = await fetch(`${collector}/api/requests/${requestId}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (res.status === 200) traces = ((await res.json()) as { traces: typeof traces }).traces;
      else await new Promise((r) => setTimeout(r, 200)); // spans are exported in batches
    }
    const server = traces[0]?.spans.find((s) => s.kind === 'SERVER');
    expect(server?.attributes).toMatchObject({
      'ml.request.id': requestId,
      'ml.model.name': 'example',
      'ml.capture': 'full',
    });
    expect(Object.keys(server?.attributes ?? {})).toContain('ml.input.age');

    // The command the banner prints works as printed.
    const printed = await runCli(traceCommand, [requestId, '--collector', collector], {
      INFERTRACE_TOKEN_FILE: tokenFile,
    });
    expect(printed.stderr).toBe('');
    expect(printed.code).toBe(0);
    expect(printed.stdout).toContain('ml.input.age');
    const without = await runCli(traceCommand, [requestId, '--collector', collector], {});
    expect(without.code).toBe(EXIT.collectorError);
    expect(without.stderr).toContain('INFERTRACE_TOKEN');
  });

  it('keeps its tokens and key readable by their owner only, the collector knowing only hashes', () => {
    const secrets = join(dir, 'secrets');
    expect(statSync(secrets).mode & 0o777).toBe(0o700);
    for (const f of ['tokens', 'sidecar.token', 'cli.token', 'hmac.key'])
      expect(statSync(join(secrets, f)).mode & 0o777, f).toBe(0o600);
    const tokensFile = readFileSync(join(secrets, 'tokens'), 'utf8');
    for (const f of ['sidecar.token', 'cli.token'])
      expect(tokensFile).not.toContain(readFileSync(join(secrets, f), 'utf8').trim());
    expect(tokensFile).toMatch(/^sidecar ingest sha256:[0-9a-f]{64}$/m);
    expect(out).toContain(`tokens and a pseudonymisation key in ${secrets}`);
    expect(readFileSync(join(secrets, 'hmac.key'), 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
  });

  it('prints the console URL of the demo request, and serves the console there', async () => {
    const m = /or in the console:\s+(\S+)\n/.exec(out);
    expect(m, out).not.toBeNull();
    const url = new URL(m![1]!);
    expect(url.pathname).toBe('/ui/');
    expect(url.searchParams.get('view')).toBe('request');
    const res = await fetch(url);
    const html = await res.text();
    // The console is built before the run (console-build.global.ts), as npm install builds it.
    expect(res.status).toBe(200);
    expect(html).toContain('<div id="app">');
  });
});

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { reapTestChildren, spawnTestChild } from '../support/child-processes.js';
import { repoRoot } from '../support/repo-root.js';

// `infertrace up` as a user runs it (here on free ports): the three parts start, demo traffic
// flows through the sidecar, and the collector can tell what happened to one request.
const SENT = /see one with:\s+npx infertrace trace (\S+) --collector (\S+)\n/;

describe('infertrace up', () => {
  const dir = mkdtempSync(join(tmpdir(), 'infertrace-up-'));
  const child = spawnTestChild(process.execPath, ['--import', 'tsx', 'bin/infertrace.ts', 'up', '--port', '0', '--admin-port', '0',
    '--collector-port', '0', '--model-port', '0', '--db', join(dir, 'up.db'), '--demo', '2'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
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

  it('serves traced inference and answers for a demo request', async () => {
    const deadline = Date.now() + 25_000;
    while (!SENT.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const m = SENT.exec(out);
    expect(m, out).not.toBeNull();
    const [, requestId, collector] = m as unknown as [string, string, string];
    let traces: { spans: { attributes: Record<string, unknown>; kind: string }[] }[] = [];
    while (traces.length === 0 && Date.now() < deadline) {
      const res = await fetch(`${collector}/api/requests/${requestId}`);
      if (res.status === 200) traces = ((await res.json()) as { traces: typeof traces }).traces;
      else await new Promise((r) => setTimeout(r, 200)); // spans are exported in batches
    }
    const server = traces[0]?.spans.find((s) => s.kind === 'SERVER');
    expect(server?.attributes).toMatchObject({ 'ml.request.id': requestId, 'ml.model.name': 'example', 'ml.capture': 'full' });
    expect(Object.keys(server?.attributes ?? {})).toContain('ml.input.age');
  });

  it('prints the console URL of the demo request, and serves the console there', async () => {
    const m = /or in the console:\s+(\S+)\n/.exec(out);
    expect(m, out).not.toBeNull();
    const url = new URL(m![1]!);
    expect(url.pathname).toBe('/ui/');
    expect(url.searchParams.get('view')).toBe('request');
    const res = await fetch(url);
    const html = await res.text();
    // npm install builds the console; a checkout that never ran the build is told how to.
    if (existsSync(join(repoRoot, 'dist/console/index.html'))) {
      expect(res.status).toBe(200);
      expect(html).toContain('<div id="app">');
    } else {
      expect(res.status).toBe(503);
      expect(html).toContain('npm run build');
    }
  });
});

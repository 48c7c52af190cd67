import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessOf, ruleFor } from '../../../collector/auth/route-access.js';
import { readCollectorConfig } from '../../../collector/config.js';
import type { RunningCollector } from '../../../collector/main.js';
import { startCollector } from '../../../collector/main.js';
import { ALL_BUT, bearer, ONLY, tokenLines } from './tokens.js';

// Every route of the composed collector, as its router registered them (onRoute), must refuse a
// request without a token, except the open ones: a route added later cannot be forgotten.
describe('every collector route behind the token gate', () => {
  let dir: string;
  let collector: RunningCollector;
  const logs: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'infertrace-auth-'));
    const config = readCollectorConfig(
      { port: '0', host: '127.0.0.1', db: join(dir, 'c.db'), retention: '0' },
      { INFERTRACE_TOKENS: tokenLines() },
    );
    collector = await startCollector(config, {
      logger: { level: 'warn', stream: { write: (line: string) => void logs.push(line) } },
    });
    await collector.opening.opened();
  });

  afterAll(async () => {
    await collector?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const routes = (): { method: string; url: string }[] => collector.auth.routes().filter((r) => r.method !== 'OPTIONS');
  const call = (method: string, url: string, headers: Record<string, string> = {}, follow = true): Promise<Response> =>
    fetch(`${collector.url}${url.replace(/:[A-Za-z]+/g, '0123456789abcdef').replace(/\*$/, 'app.js')}`, {
      method,
      headers,
      redirect: follow ? 'follow' : 'manual',
    });

  it('knows the routes from the router itself', () => {
    const listed = routes().map((r) => `${r.method} ${r.url}`);
    expect(listed).toEqual(
      expect.arrayContaining([
        'GET /healthz',
        'POST /v1/traces',
        'POST /api/v2/spans',
        'GET /api/traces/:traceId',
        'DELETE /api/alerts/rules/:id',
        'POST /api/feedback',
      ]),
    );
    expect(listed.length).toBeGreaterThan(40);
  });

  it('names every route in the access table (none falls to the closed default unseen)', () => {
    const unnamed = routes()
      .filter((r) => ruleFor(r.method, r.url) === undefined)
      .map((r) => `${r.method} ${r.url}`);
    expect(unnamed).toEqual([]);
  });

  it("leaves open only the health checks, the Zipkin UI's settings and the console's page and scripts", () => {
    const open = routes()
      .filter((r) => accessOf(r.method, r.url) === 'open')
      .map((r) => r.url);
    expect([...new Set(open)].sort()).toEqual(expect.arrayContaining(['/healthz']));
    for (const url of open)
      expect(['/', '/healthz', '/health', '/zipkin/config.json', '/ui', '/ui/', '/ui/*']).toContain(url);
  });

  it('refuses every other route to an anonymous request', async () => {
    const answers: string[] = [];
    for (const r of routes()) {
      const status = (await call(r.method, r.url, {}, false)).status;
      answers.push(`${r.method} ${r.url} ${status === 401 ? 'refused' : 'let in'}`);
    }
    const expected = routes().map(
      (r) => `${r.method} ${r.url} ${accessOf(r.method, r.url) === 'open' ? 'let in' : 'refused'}`,
    );
    expect(answers).toEqual(expected);
  });

  it('refuses each route to a token with every scope but the one it needs (403), and lets that scope in', async () => {
    const wrong: string[] = [];
    const right: string[] = [];
    for (const r of routes()) {
      const access = accessOf(r.method, r.url);
      if (access === 'open' || access === 'authenticated') continue;
      const scope = access === 'metrics' ? 'read' : access;
      wrong.push(`${r.method} ${r.url} ${(await call(r.method, r.url, bearer(ALL_BUT[scope]))).status}`);
      const status = (await call(r.method, r.url, bearer(ONLY[scope]))).status;
      right.push(`${r.method} ${r.url} ${status === 401 || status === 403 ? 'refused' : 'let in'}`);
    }
    expect(
      wrong.every((w) => w.endsWith(' 403')),
      wrong.join('\n'),
    ).toBe(true);
    expect(
      right.every((w) => w.endsWith(' let in')),
      right.join('\n'),
    ).toBe(true);
  });

  it.each([
    ['missing', {}, 'missing'],
    ['not a bearer token', { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }, 'malformed'],
    ['an empty bearer', { authorization: 'Bearer ' }, 'malformed'],
    ['unknown', bearer('never-issued-token-value-1234'), 'unknown'],
  ])('answers a %s token with 401, a challenge and the JSON error, and counts it', async (_name, headers, reason) => {
    const res = await call('GET', '/api/services', headers);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="infertrace"/);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');
    const metrics = await (await call('GET', '/metrics', bearer(ONLY.read))).text();
    expect(metrics).toMatch(
      new RegExp(`^infertrace_auth_failures_total\\{reason="${reason}",scope="read"\\} [1-9]`, 'm'),
    );
  });

  it('answers a token with the wrong scope with 403 naming the scope needed', async () => {
    const res = await call('POST', '/api/feedback', bearer(ONLY.read));
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toContain('scope="feedback"');
    expect(await res.json()).toEqual({
      error: { code: 'forbidden', message: 'the token "only-read" lacks the scope "feedback" this route needs' },
    });
  });

  it('refuses an unknown path without a token (no probing), and answers 404 with one', async () => {
    expect((await call('GET', '/no/such/route')).status).toBe(401);
    expect((await call('GET', '/no/such/route', bearer(ONLY.ingest))).status).toBe(404);
  });

  it('logs refusals with the reason, never the token', async () => {
    await call('GET', '/api/services', bearer('secret-looking-token-value-xyz'));
    const text = logs.join('');
    expect(text).toContain('unknown');
    expect(text).not.toContain('secret-looking-token-value-xyz');
    for (const t of [...Object.values(ONLY), ...Object.values(ALL_BUT)]) expect(text).not.toContain(t);
  });
});

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bareApp } from '../../support/bare-app.js';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../../collector/cli/trace.js';
import { EXIT } from '../../../shared/exit-codes.js';
import { queryRoutes } from '../../../collector/query/routes.js';
import { TraceService } from '../../../collector/query/trace-service.js';
import { runTestChild } from '../../support/child-processes.js';
import { repoRoot } from '../../support/repo-root.js';
import { runCli } from '../support/cli-io.js';
import { inferenceTrace } from '../query/inference-traces.js';
import { memorySpanStore } from '../support/memory-db.js';

/** The `trace` command against a real query API on a loopback port. */

const store = memorySpanStore();
let app: FastifyInstance;
let url: string;
const traced = inferenceTrace({ requestId: 'req-cli', error: true });
// A request id that looks like a trace id (32 hex digits) but is none.
const hexRequestId = 'c0ffee'.padEnd(32, '0');
const hexRequest = inferenceTrace({ requestId: hexRequestId });

beforeAll(async () => {
  await store.writeSpans([...traced, ...hexRequest]);
  app = bareApp();
  await app.register(queryRoutes({ traces: new TraceService(store) }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await app.close();
  await store.close();
});

const cli = (argv: string[], env: NodeJS.ProcessEnv = {}) => runCli(run, argv, env);

describe('infertrace trace', () => {
  it.each([
    ['a trace id', () => traced[0]!.traceId, traced[0]!.traceId],
    ['an upper-case trace id', () => traced[0]!.traceId.toUpperCase(), traced[0]!.traceId],
    ['a request id', () => 'req-cli', traced[0]!.traceId],
    ['a request id of 32 hex digits (tried as a trace id first)', () => hexRequestId, hexRequest[0]!.traceId],
  ])('prints the call tree for %s', async (_name, id, traceId) => {
    const out = await cli([id(), '--collector', url]);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(EXIT.ok);
    expect(out.stdout).toContain(`trace ${traceId}`);
    expect(out.stdout).toMatch(
      /^iris-sidecar {2}POST \/v2\/models\/\{model\}\/infer {2}\[SERVER\] {2}20ms {2}at \+0µs/m,
    );
    expect(out.stdout).toMatch(/^└─ iris-sidecar {2}POST {2}\[CLIENT\]/m);
    expect(out.stdout).toMatch(/^ {3}└─ triton {2}infer {2}\[SERVER\]/m);
    expect(out.stdout).toMatch(/^│ {2}ml\.input\.sepal_length += \[5\.1,6\.2\]$/m);
  });

  it('marks an error span', async () => {
    const out = await cli(['req-cli', `--collector=${url}`]);
    expect(out.stdout).toContain('✗ ERROR: upstream answered 500');
    expect(out.stdout).toContain('✗ ERROR: CUDA out of memory');
  });

  it('--json prints the API’s JSON', async () => {
    const viaTrace = await cli([traced[0]!.traceId, '--json', '--collector', url]);
    const api = await (await fetch(`${url}/api/traces/${traced[0]!.traceId}`)).json();
    expect(JSON.parse(viaTrace.stdout)).toEqual(api);
    const viaRequest = await cli(['req-cli', '--json', '--collector', url]);
    expect(JSON.parse(viaRequest.stdout)).toEqual(await (await fetch(`${url}/api/requests/req-cli`)).json());
  });

  it('takes the collector from INFERTRACE_COLLECTOR', async () => {
    const out = await cli(['req-cli'], { INFERTRACE_COLLECTOR: `${url}/` });
    expect(out.code).toBe(EXIT.ok);
  });

  it.each([
    ['a request id', 'no-such-request'],
    ['a trace id', 'e'.repeat(32)],
  ])('exits 1 with a hint for an unknown %s', async (_n, id) => {
    const out = await cli([id, '--collector', url]);
    expect(out.code).toBe(EXIT.notFound);
    expect(out.stdout).toBe('');
    expect(out.stderr).toContain(`no trace or request "${id}" at ${url}`);
    expect(out.stderr).toContain('may not have arrived yet');
  });

  it('exits 2 naming the URL when the collector is unreachable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    const out = await cli(['req-cli', '--collector', deadUrl]);
    expect(out.code).toBe(EXIT.unavailable);
    expect(out.stderr).toContain(`cannot reach the collector at ${deadUrl} (ECONNREFUSED)`);
    expect(out.stderr).toContain('INFERTRACE_COLLECTOR');
  });

  it.each([
    [
      'a server that is not the collector',
      (_req: unknown, res: import('node:http').ServerResponse) => res.writeHead(404).end('Not Found'),
      404,
      'not the query API',
    ],
    [
      'a failing collector',
      (_req: unknown, res: import('node:http').ServerResponse) =>
        res
          .writeHead(500, { 'content-type': 'application/json' })
          .end('{"error":{"code":"storage_failed","message":"disk gone"}}'),
      500,
      'disk gone',
    ],
    [
      'a 200 that is not JSON',
      (_req: unknown, res: import('node:http').ServerResponse) => res.writeHead(200).end('<html>'),
      200,
      'not the query API',
    ],
  ])('exits 3 for %s', async (_name, handler, status, message) => {
    const other = createServer(handler);
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    const out = await cli(['req-cli', '--collector', otherUrl]);
    await new Promise((resolve) => other.close(resolve));
    expect(out.code).toBe(EXIT.collectorError);
    expect(out.stderr).toContain(`the collector at ${otherUrl} answered ${status}: `);
    expect(out.stderr).toContain(message);
  });

  it.each([
    [[], 'give a request id or a trace id'],
    [['a', 'b'], 'give one id, got 2'],
    [['a', '--colector', 'x'], "Unknown option '--colector'"],
    [
      ['a', '--collector', 'ftp://x'],
      '--collector / INFERTRACE_COLLECTOR must be an http:// or https:// URL, got "ftp://x"',
    ],
  ])('exits 64 with usage for %j', async (argv, message) => {
    const out = await cli(argv);
    expect(out.code).toBe(EXIT.usage);
    expect(out.stderr).toContain(message);
    expect(out.stderr).toContain('Usage: infertrace trace');
  });

  it('--help prints usage and exits 0', async () => {
    const out = await cli(['--help']);
    expect(out.code).toBe(EXIT.ok);
    expect(out.stdout).toContain('--collector URL');
  });

  it('is dispatched by the infertrace command', async () => {
    const found = await runTestChild(
      process.execPath,
      ['--import', 'tsx', 'bin/infertrace.ts', 'trace', 'req-cli', '--collector', url],
      { cwd: repoRoot },
    );
    expect(found.code, found.stderr).toBe(EXIT.ok);
    expect(found.stdout).toContain(`trace ${traced[0]!.traceId}`);
    const failed = await runTestChild(
      process.execPath,
      ['--import', 'tsx', 'bin/infertrace.ts', 'trace', 'nobody', '--collector', url],
      { cwd: repoRoot },
    );
    expect(failed.code).toBe(EXIT.notFound);
  });
});

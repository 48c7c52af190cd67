import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FastifyInstance } from 'fastify';
import { bareApp } from '../../support/bare-app.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../../collector/cli/export.js';
import { EXIT } from '../../../shared/exit-codes.js';
import { JAEGER_API_PREFIX, jaegerQueryRoutes } from '../../../collector/jaeger/jaeger-query-routes.js';
import { zipkinReadRoutes } from '../../../collector/zipkin/zipkin-read-routes.js';
import { toJaegerFile } from '../../../collector/jaeger/jaeger-mapping.js';
import { toOtlpJson } from '../../../collector/otlp/otlp-mapping.js';
import { toZipkinSpans } from '../../../collector/zipkin/zipkin-mapping.js';
import { TraceService } from '../../../collector/query/trace-service.js';
import { runTestChild } from '../../support/child-processes.js';
import { repoRoot } from '../../support/repo-root.js';
import { TRACE_A, traceA } from '../support/fixture-traces.js';
import { decodeOtlpJson } from '../support/decode-otlp-json.js';
import { zipkinProblems, zipkinSchemas } from '../support/zipkin-schema.js';
import { runCli } from '../support/cli-io.js';
import { memorySpanStore } from '../support/memory-db.js';
import type { SqliteStore } from '../../../collector/storage/sqlite/sqlite-store.js';

/**
 * The export command against real loopback servers: one whose query route answers `?format=` (as the
 * collector's does once wired to the mappings), and an older one that ignores it but serves the
 * Jaeger- and Zipkin-compatible routes.
 */
let store: SqliteStore;
let withFormat: FastifyInstance;
let withoutFormat: FastifyInstance;
let formatUrl: string;
let oldUrl: string;
let deadUrl: string;
let dir: string;

const notFound = { error: { code: 'trace_not_found', message: 'no trace is stored' } };

beforeAll(async () => {
  store = memorySpanStore();
  await store.writeSpans(traceA());
  dir = await mkdtemp(join(tmpdir(), 'infertrace-export-'));

  withFormat = bareApp();
  withFormat.get<{ Params: { id: string }; Querystring: { format?: string } }>(
    '/api/traces/:id',
    async (req, reply) => {
      const spans = await store.getTrace(req.params.id);
      if (spans.length === 0) return reply.code(404).send(notFound);
      if (req.query.format === 'otlp') return toOtlpJson(spans);
      if (req.query.format === 'jaeger') return toJaegerFile(spans);
      if (req.query.format === 'zipkin') return toZipkinSpans(spans);
      return { traceId: req.params.id, spans: [] };
    },
  );
  formatUrl = await withFormat.listen({ host: '127.0.0.1', port: 0 });

  withoutFormat = bareApp();
  withoutFormat.get('/api/traces/:id', async () => ({ traceId: TRACE_A, spans: [] }));
  await withoutFormat.register(jaegerQueryRoutes({ traces: new TraceService(store) }), { prefix: JAEGER_API_PREFIX });
  await withoutFormat.register(zipkinReadRoutes({ traces: new TraceService(store) }));
  oldUrl = await withoutFormat.listen({ host: '127.0.0.1', port: 0 });

  const closed = bareApp();
  deadUrl = await closed.listen({ host: '127.0.0.1', port: 0 });
  await closed.close();
});

afterAll(async () => {
  await withFormat.close();
  await withoutFormat.close();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(run, args, env);

describe('infertrace export', () => {
  it('writes a Jaeger document the Jaeger UI’s JSON-file view loads ({data:[trace]})', async () => {
    const out = join(dir, 'trace.jaeger.json');
    const { code, stderr } = await cli([TRACE_A, '--format', 'jaeger', '--collector', formatUrl, '--out', out]);
    expect([code, stderr]).toStrictEqual([EXIT.ok, `infertrace export: wrote trace ${TRACE_A} as jaeger to ${out}\n`]);
    const doc = JSON.parse(await readFile(out, 'utf8')) as {
      data: { traceID: string; spans: unknown[]; processes: object }[];
    };
    expect(doc.data.map((t) => [t.traceID, t.spans.length, Object.keys(t.processes).length])).toStrictEqual([
      [TRACE_A, 6, 3],
    ]);
  });

  it('writes Zipkin v2 JSON that validates against the spec, to stdout', async () => {
    const { code, stdout } = await cli([TRACE_A, '-f', 'zipkin'], { INFERTRACE_COLLECTOR: formatUrl });
    expect(code).toBe(EXIT.ok);
    const body = JSON.parse(stdout) as unknown[];
    expect(body).toHaveLength(6);
    expect(zipkinProblems(zipkinSchemas.listOfSpans, body)).toBe('');
  });

  it('writes OTLP/JSON that the collector’s receiver reads back into the same spans', async () => {
    const { code, stdout } = await cli([TRACE_A.toUpperCase(), '--format', 'otlp', '--collector', formatUrl]);
    expect(code).toBe(EXIT.ok);
    const byId = (a: { spanId: string }, b: { spanId: string }): number => (a.spanId < b.spanId ? -1 : 1);
    expect(decodeOtlpJson(stdout).sort(byId)).toStrictEqual(traceA().sort(byId));
  });

  it.each([
    ['jaeger', (b: unknown) => Array.isArray((b as { data: unknown }).data)],
    ['zipkin', (b: unknown) => zipkinProblems(zipkinSchemas.trace, b) === '' && (b as unknown[]).length === 6],
  ])('asks the compatible route when the collector ignores ?format=%s', async (format, check) => {
    const { code, stdout } = await cli([TRACE_A, '--format', format, '--collector', oldUrl]);
    expect(code).toBe(EXIT.ok);
    expect(check(JSON.parse(stdout))).toBe(true);
  });

  it.each([
    [
      'an unknown trace',
      ['cccccccccccccccc3333333333333333', '--format', 'otlp'],
      'format',
      EXIT.notFound,
      'no trace cccccccccccccccc3333333333333333',
    ],
    [
      'a collector that cannot give OTLP',
      [TRACE_A, '--format', 'otlp'],
      'old',
      EXIT.collectorError,
      'does this collector support ?format=otlp',
    ],
    [
      'a collector that is down',
      [TRACE_A, '--format', 'jaeger'],
      'dead',
      EXIT.unavailable,
      'cannot reach the collector',
    ],
    ['no format', [TRACE_A], 'format', EXIT.usage, '--format is required'],
    ['an unknown format', [TRACE_A, '--format', 'csv'], 'format', EXIT.usage, 'must be one of otlp, jaeger, zipkin'],
    ['a request id', ['req-1', '--format', 'otlp'], 'format', EXIT.usage, 'infertrace trace req-1'],
    ['no id', ['--format', 'otlp'], 'format', EXIT.usage, 'give a trace id'],
    ['an unknown flag', [TRACE_A, '--format', 'otlp', '--bogus'], 'format', EXIT.usage, 'bogus'],
    [
      'a file that cannot be written',
      [TRACE_A, '--format', 'otlp', '--out', '/nonexistent-dir/x.json'],
      'format',
      EXIT.cannotWrite,
      'cannot write',
    ],
  ])('fails clearly on %s', async (_label, args, server, exit, message) => {
    const url = server === 'format' ? formatUrl : server === 'old' ? oldUrl : deadUrl;
    const { code, stderr } = await cli([...args, '--collector', url]);
    expect(code).toBe(exit);
    expect(stderr).toContain(message);
  });

  it('runs as a sub-command of the infertrace binary', async () => {
    const { code, stdout, stderr } = await runTestChild(
      process.execPath,
      [
        '--import',
        'tsx',
        join(repoRoot, 'bin', 'infertrace.ts'),
        'export',
        TRACE_A,
        '--format',
        'jaeger',
        '--collector',
        formatUrl,
      ],
      { cwd: repoRoot },
    );
    expect(code, stderr).toBe(0);
    expect((JSON.parse(stdout) as { data: { traceID: string }[] }).data[0]?.traceID).toBe(TRACE_A);
  });
});

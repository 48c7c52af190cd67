/**
 * The processes of bench/sidecar.ts, one role per process so each has its own event loop:
 *   node --import tsx bench/sidecar-servers.ts model
 *   node --import tsx bench/sidecar-servers.ts plain-proxy <upstream-url>
 *   node --import tsx bench/sidecar-servers.ts sink
 * Each prints `READY <url>` on standard output once it listens on a loopback port.
 */
import Fastify from 'fastify';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { buildExampleModelApp, score } from '../sidecar/example-model.js';
import { UpstreamRequest } from '../sidecar/proxy/forward.js';
import { endToEndHeaders, type RawHeaders } from '../sidecar/proxy/hop-by-hop.js';
import { createUpstreamPool } from '../sidecar/upstream-pool.js';
import { IMAGE_PATH } from './open-loop-payloads.js';
import { WIDE_PATH, oipResponse } from './sidecar-payload.js';

async function listen(app: ReturnType<typeof Fastify>): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const a = app.server.address();
  return `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
}

/**
 * The bundled example model, plus the capture benchmark's model on WIDE_PATH: it takes OIP inputs
 * of numeric and text tensors (shape [rows]) and scores each row on its numeric features.
 */
async function model(): Promise<string> {
  const app = buildExampleModelApp();
  app.post<{ Body: { inputs?: { datatype?: string; data?: unknown[] }[] } }>(WIDE_PATH, async (req) => {
    const numeric = (req.body.inputs ?? []).filter((t) => t.datatype !== 'BYTES' && Array.isArray(t.data));
    const rows = Array.from({ length: numeric[0]?.data?.length ?? 0 }, (_, r) =>
      numeric.map((t) => Number(t.data?.[r])),
    );
    return oipResponse(score(rows));
  });
  // bench/sidecar-open-loop.ts's image tensor: a fixed answer, the request only parsed.
  app.post(IMAGE_PATH, async () => ({
    model_name: 'image',
    outputs: [{ name: 'class', shape: [1], datatype: 'BYTES', data: ['cat'] }],
  }));
  return listen(app);
}

/**
 * The baseline: the same fastify catch-all, the same undici pool and streaming forward and the
 * same hop-by-hop filtering as the sidecar, with no context, spans, request id or capture.
 */
async function plainProxy(upstream: string): Promise<string> {
  const pool = createUpstreamPool({ upstream, connections: 128, timeoutMs: 30_000 });
  const app = Fastify({ logger: false });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_r, _p, done) => done(null));
  const forward = (req: IncomingMessage, res: ServerResponse): void => {
    const hasBody = req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] ?? '0') !== '0';
    async function* body(): AsyncGenerator<Buffer> {
      for await (const c of req as AsyncIterable<Buffer>) yield c;
    }
    const call = new UpstreamRequest(
      pool,
      {
        path: req.url ?? '/',
        method: req.method ?? 'GET',
        headers: endToEndHeaders(req.rawHeaders, (n) => n === 'host' || n === 'expect'),
        body: hasBody ? (body() as unknown as Readable) : null,
      },
      {
        start: (status: number, _m: string | undefined, raw: RawHeaders) =>
          void res.writeHead(status, endToEndHeaders(raw)),
        // A client that went away takes no more writes and never drains: read on, as the sidecar does.
        data: (chunk: Buffer) => (res.destroyed ? true : res.write(chunk)),
        onDrain: (resume: () => void) => void res.once('drain', resume),
        end: () => void res.end(),
        error: () => {
          if (!res.headersSent) res.writeHead(502).end();
          else res.destroy();
        },
      },
    );
    // Like the sidecar, abort the model call when the client goes away; otherwise each request cut at
    // the end of a load run kept a pool connection paused until the 30 s body timeout, and after a
    // few runs the pool was exhausted and this baseline stalled.
    res.on('close', () => {
      if (!res.writableFinished) call.abort(new Error('the client closed the connection'));
    });
  };
  app.all('/*', (request, reply) => {
    reply.hijack();
    forward(request.raw, reply.raw);
  });
  return listen(app);
}

/**
 * An OTLP/HTTP endpoint that reads and discards what the sidecar exports, as cheaply as possible.
 * It answers 200 with an empty body: the empty ExportTraceServiceResponse in either encoding (a JSON
 * `{}` sent to a protobuf exporter fails to decode and costs it a logged warning per export).
 */
async function sink(): Promise<string> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-length': '0' });
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address();
  return `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
}

const [role, arg] = process.argv.slice(2);
const url =
  role === 'model'
    ? await model()
    : role === 'plain-proxy'
      ? await plainProxy(arg as string)
      : role === 'sink'
        ? await sink()
        : undefined;
if (url === undefined) {
  process.stderr.write('usage: sidecar-servers.ts model | plain-proxy <upstream-url> | sink\n');
  process.exit(2);
}
process.stdout.write(`READY ${url}\n`);
process.once('SIGTERM', () => process.exit(0));

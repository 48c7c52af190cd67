import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SidecarHandle } from '../../../sidecar/main.js';
import { header, rawRequest } from '../support/raw-http.js';
import { headerPairs, headerValues, startTestSidecar } from '../support/sidecar-harness.js';
import { startEchoUpstream, startUpstream, type TestUpstream } from '../support/upstream.js';

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('proxy: every method and path, headers and bodies byte-for-byte', () => {
  let upstream: TestUpstream;
  let sidecar: SidecarHandle;
  beforeAll(async () => {
    upstream = await startEchoUpstream();
    sidecar = await startTestSidecar(upstream.url);
  });
  afterAll(async () => {
    await sidecar.close();
    await upstream.close();
  });

  it.each(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])(
    'forwards %s with path and query unchanged',
    async (method) => {
      const path = '/v2/models/m%20x/infer?a=1&b=%2F&c';
      const res = await request(`${sidecar.url}${path}`, {
        method,
        ...(method === 'GET' || method === 'OPTIONS' ? {} : { body: 'x' }),
      });
      const echo = (await res.body.json()) as { method: string; url: string };
      expect(res.statusCode).toBe(200);
      expect(echo).toMatchObject({ method, url: path });
    },
  );

  it('answers HEAD with the upstream headers and no body', async () => {
    const res = await request(`${sidecar.url}/anything`, { method: 'HEAD' });
    expect(res.statusCode).toBe(200);
    expect(await res.body.text()).toBe('');
  });

  it('forwards a request with no body as one (GET, and POST with content-length 0)', async () => {
    const get = await rawRequest(sidecar.url, 'GET /nobody HTTP/1.1\r\nHost: x');
    const post = await rawRequest(sidecar.url, 'POST /nobody HTTP/1.1\r\nHost: x\r\nContent-Length: 0');
    for (const res of [get, post]) {
      const echo = JSON.parse(res.body.toString()) as { rawHeaders: string[]; bodyLength: number };
      expect(res.status).toBe(200);
      expect(echo.bodyLength).toBe(0);
      expect(headerValues(echo.rawHeaders, 'transfer-encoding')).toEqual([]);
    }
  });

  it('streams a chunked request body and a large binary body through intact', async () => {
    const chunked = await rawRequest(sidecar.url, 'POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked', [
      '5\r\nhello\r\n',
      '7\r\n, world\r\n',
      '0\r\n\r\n',
    ]);
    expect(JSON.parse(chunked.body.toString())).toMatchObject({ bodyLength: 12, body: 'hello, world' });
    const big = randomBytes(3 * 1024 * 1024);
    const res = await request(`${sidecar.url}/big`, { method: 'POST', body: big });
    const echo = (await res.body.json()) as { bodyLength: number; body: string };
    expect(echo.bodyLength).toBe(big.length);
    expect(sha(Buffer.from(echo.body, 'latin1'))).toBe(sha(big));
  });

  it('strips hop-by-hop request headers, including those named by Connection', async () => {
    const res = await rawRequest(
      sidecar.url,
      [
        'POST /h HTTP/1.1',
        'Host: x',
        'Connection: keep-alive, X-Hop',
        'X-Hop: secret',
        'Keep-Alive: timeout=5',
        'Proxy-Authorization: Basic abc',
        'TE: trailers',
        'Trailer: X-T',
        'Expect: 100-continue',
        'X-End-To-End: kept',
        'Content-Length: 2',
      ].join('\r\n'),
      ['ok'],
    );
    const echo = JSON.parse(res.body.toString()) as { rawHeaders: string[] };
    const names = headerPairs(echo.rawHeaders).map(([k]) => k);
    expect(res.status).toBe(200);
    for (const hop of ['x-hop', 'keep-alive', 'proxy-authorization', 'te', 'trailer', 'expect'])
      expect(names).not.toContain(hop);
    expect(headerValues(echo.rawHeaders, 'x-end-to-end')).toEqual(['kept']);
  });
});

describe('proxy: the response as the model sent it', () => {
  let upstream: TestUpstream;
  let sidecar: SidecarHandle;
  const binary = randomBytes(64 * 1024);
  beforeAll(async () => {
    upstream = await startUpstream((req, res) => {
      if (req.url === '/chunked') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('one,');
        res.write('two,');
        res.end('three');
        return;
      }
      res.writeHead(201, 'Created Thing', [
        'Content-Type',
        'application/octet-stream',
        'Set-Cookie',
        'a=1',
        'Set-Cookie',
        'b=2',
        'X-Model-Header',
        'Mixed Case',
        'Connection',
        'X-Upstream-Hop',
        'X-Upstream-Hop',
        'drop me',
        'Proxy-Authenticate',
        'Basic',
        'Content-Length',
        String(binary.length),
        'Server-Timing',
        'db;dur=53',
        'X-Request-Id',
        'upstream-id',
      ]);
      res.end(binary);
    });
    sidecar = await startTestSidecar(upstream.url);
  });
  afterAll(async () => {
    await sidecar.close();
    await upstream.close();
  });

  it('keeps status, reason, repeated headers and every body byte; drops hop-by-hop headers', async () => {
    const res = await rawRequest(sidecar.url, 'GET /bin HTTP/1.1\r\nHost: x');
    expect(res.status).toBe(201);
    expect(res.statusMessage).toBe('Created Thing');
    expect(header(res, 'set-cookie')).toEqual(['a=1', 'b=2']);
    expect(header(res, 'x-model-header')).toEqual(['Mixed Case']);
    expect(header(res, 'x-upstream-hop')).toEqual([]);
    expect(header(res, 'proxy-authenticate')).toEqual([]);
    expect(header(res, 'content-length')).toEqual([String(binary.length)]);
    // The proxy's own headers: the model's metrics kept, the trace appended; one request id.
    expect(header(res, 'server-timing')[0]).toMatch(/^db;dur=53, trace;desc=00-[0-9a-f]{32}-[0-9a-f]{16}-0[0-3]$/);
    expect(header(res, 'x-request-id')).toHaveLength(1);
    expect(header(res, 'x-request-id')[0]).not.toBe('upstream-id');
    expect(sha(res.body)).toBe(sha(binary));
  });

  it('relays a chunked response', async () => {
    const res = await rawRequest(sidecar.url, 'GET /chunked HTTP/1.1\r\nHost: x');
    expect(res.body.toString()).toBe('one,two,three');
  });
});

describe('proxy: streams instead of buffering', () => {
  it('delivers the first response chunk before the model has finished', async () => {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const upstream = await startUpstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first;');
      void released.then(() => res.end('second'));
    });
    const sidecar = await startTestSidecar(upstream.url);
    try {
      const res = await request(`${sidecar.url}/stream`);
      const chunks: string[] = [];
      for await (const chunk of res.body) {
        chunks.push(String(chunk));
        // The model sends the rest only after the client saw the first part: a buffering proxy would hang here.
        if (chunks.join('') === 'first;') release();
      }
      expect(chunks.join('')).toBe('first;second');
    } finally {
      await sidecar.close();
      await upstream.close();
    }
  });

  it('delivers the first request chunk to the model before the client has finished sending (request buffering off)', async () => {
    let firstSeen!: () => void;
    const seen = new Promise<void>((r) => (firstSeen = r));
    const upstream = await startUpstream((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => {
        text += c.toString();
        if (text === 'part1;') firstSeen();
      });
      req.on('end', () => res.end(text));
    });
    // Bodies past the request buffer stream; by default small ones are read whole first.
    const sidecar = await startTestSidecar(upstream.url, { INFERTRACE_REQUEST_BUFFER: '0' });
    try {
      async function* body(): AsyncGenerator<string> {
        yield 'part1;';
        await seen; // the model must see part 1 while part 2 is not sent yet
        yield 'part2';
      }
      const res = await request(`${sidecar.url}/upload`, { method: 'POST', body: Readable.from(body()) });
      expect(await res.body.text()).toBe('part1;part2');
    } finally {
      await sidecar.close();
      await upstream.close();
    }
  });
});

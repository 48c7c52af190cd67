import { connect, type Socket } from 'node:net';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { SidecarHandle } from '../../../sidecar/main.js';
import { startTestSidecar } from '../support/sidecar-harness.js';
import { startEchoUpstream, startUpstream, until, type TestUpstream } from '../support/upstream.js';

/**
 * Faults: clients that dribble their bodies must not starve other calls through a small upstream
 * pool (small bodies are read whole before a model connection is taken; larger ones stream under
 * an idle and a total timeout, 408 after), and an early answer from the model (413 before the
 * upload finished) must leave the client's keep-alive connection usable or closed, never hanging.
 */
let sidecar: SidecarHandle | undefined;
let upstream: TestUpstream | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await sidecar?.close();
  await upstream?.close();
  sidecar = undefined;
  upstream = undefined;
});

/** A raw client connection that records everything it receives and whether it was closed. */
interface RawClient {
  socket: Socket;
  received(): string;
  closed(): boolean;
}

async function rawClient(url: string): Promise<RawClient> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  sockets.push(socket);
  let data = '';
  let closed = false;
  socket.on('data', (c: Buffer) => (data += c.toString('latin1')));
  socket.on('error', () => undefined);
  socket.on('close', () => (closed = true));
  await new Promise<void>((r) => socket.once('connect', () => r()));
  return { socket, received: () => data, closed: () => closed };
}

const post = (path: string, length: number): string =>
  `POST ${path} HTTP/1.1\r\nHost: model\r\nContent-Type: application/octet-stream\r\nContent-Length: ${length}\r\n\r\n`;

describe('slow request bodies', () => {
  it('clients dribbling small bodies hold no model connection: other calls are served', async () => {
    upstream = await startEchoUpstream();
    sidecar = await startTestSidecar(upstream.url, { INFERTRACE_UPSTREAM_CONNECTIONS: '2' });
    for (let i = 0; i < 8; i++) {
      const c = await rawClient(sidecar.url);
      c.socket.write(`${post('/v2/models/m/infer', 1000)}${'x'.repeat(10)}`); // then silence
    }
    for (let i = 0; i < 4; i++) {
      const res = await request(`${sidecar.url}/v2/models/m/infer`, { method: 'POST', body: '{"inputs":[]}' });
      expect(res.statusCode).toBe(200);
      expect(((await res.body.json()) as { bodyLength: number }).bodyLength).toBe(13);
    }
    expect(upstream.received.every((r) => r.body.length === 13)).toBe(true);
    // Once the slow clients give up, their exchanges end too.
    for (const s of sockets.splice(0)) s.destroy();
    const handle = sidecar;
    await until(() => handle.metrics.inFlight === 0);
  });

  it('a large body that stalls is cut at the idle timeout with 408 client_body_timeout, freeing its model connection', async () => {
    upstream = await startEchoUpstream();
    sidecar = await startTestSidecar(upstream.url, {
      INFERTRACE_UPSTREAM_CONNECTIONS: '1',
      INFERTRACE_REQUEST_BUFFER: '1KiB',
      INFERTRACE_CLIENT_IDLE_TIMEOUT: '200ms',
    });
    const slow = await rawClient(sidecar.url);
    slow.socket.write(`${post('/upload', 100_000)}${'x'.repeat(4000)}`);
    await until(() => slow.closed());
    expect(slow.received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(slow.received()).toMatch(/client_body_timeout.*INFERTRACE_CLIENT_IDLE_TIMEOUT/s);
    const res = await request(`${sidecar.url}/ok`, { method: 'POST', body: 'fine' });
    expect(res.statusCode).toBe(200);
    await res.body.dump();
  });

  it('a small body trickled past the total body timeout gets 408 before the model is called', async () => {
    upstream = await startEchoUpstream();
    sidecar = await startTestSidecar(upstream.url, {
      INFERTRACE_CLIENT_BODY_TIMEOUT: '300ms',
      INFERTRACE_CLIENT_IDLE_TIMEOUT: '10s',
    });
    const slow = await rawClient(sidecar.url);
    slow.socket.write(post('/v2/models/m/infer', 1000));
    const trickle = setInterval(() => slow.socket.write('x'), 30);
    try {
      await until(() => slow.closed());
    } finally {
      clearInterval(trickle);
    }
    expect(slow.received()).toMatch(/^HTTP\/1\.1 408 [\s\S]*INFERTRACE_CLIENT_BODY_TIMEOUT/);
    expect(upstream.received).toHaveLength(0);
  });
});

describe('an early answer from the model', () => {
  /** Answers 413 at once to /upload without reading the body, 200 to anything else. */
  const earlyUpstream = (): Promise<TestUpstream> =>
    startUpstream((req, res) => {
      if (req.url === '/upload') {
        res.writeHead(413, { 'content-type': 'application/json' });
        res.end('{"error":"too large"}');
      } else {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('ok');
      }
    });

  it('to a 50 MB upload the client stopped sending: the keep-alive connection is closed, not left hanging', async () => {
    upstream = await earlyUpstream();
    sidecar = await startTestSidecar(upstream.url, { INFERTRACE_CLIENT_IDLE_TIMEOUT: '300ms' });
    const client = await rawClient(sidecar.url);
    client.socket.write(post('/upload', 50 * 1024 * 1024));
    client.socket.write(Buffer.alloc(2 * 1024 * 1024, 0x78));
    await until(() => /HTTP\/1\.1 413[\s\S]*too large/.test(client.received()) || client.closed());
    expect(client.received()).toMatch(/^HTTP\/1\.1 413 /);
    client.socket.write('GET /next HTTP/1.1\r\nHost: model\r\n\r\n');
    // Either answered on the same connection or closed; a hang fails at the test timeout.
    await until(() => client.closed() || /HTTP\/1\.1 200/.test(client.received()));
    expect(client.closed() || /HTTP\/1\.1 200/.test(client.received())).toBe(true);
  });

  it('to an upload that then completes within the drain bound: the next request on the connection is answered', async () => {
    upstream = await earlyUpstream();
    sidecar = await startTestSidecar(upstream.url);
    const client = await rawClient(sidecar.url);
    const length = 512 * 1024;
    const first = 128 * 1024;
    client.socket.write(post('/upload', length));
    client.socket.write(Buffer.alloc(first, 0x78));
    await until(() => /HTTP\/1\.1 413[\s\S]*too large/.test(client.received()));
    client.socket.write(Buffer.alloc(length - first, 0x78));
    client.socket.write('GET /next HTTP/1.1\r\nHost: model\r\n\r\n');
    const answered = /HTTP\/1\.1 200[\s\S]*\r\nok\r\n/;
    await until(() => answered.test(client.received()) || client.closed());
    expect(client.received()).toMatch(answered);
    expect(client.closed()).toBe(false);
  });
});

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A plain node:http model-server stand-in, so tests control every byte and every socket. */
export interface TestUpstream {
  url: string;
  /** Requests as the upstream received them. */
  received: { method: string; url: string; rawHeaders: string[]; body: Buffer; aborted: boolean }[];
  close(): Promise<void>;
}

export type UpstreamHandler = (req: IncomingMessage, res: ServerResponse, body: Promise<Buffer>) => void;

export async function startUpstream(handler: UpstreamHandler): Promise<TestUpstream> {
  const received: TestUpstream['received'] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const entry = {
      method: req.method ?? '',
      url: req.url ?? '',
      rawHeaders: req.rawHeaders,
      body: Buffer.alloc(0),
      aborted: false,
    };
    received.push(entry);
    const body = new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        entry.body = Buffer.concat(chunks);
        resolve(entry.body);
      });
      req.on('error', () => undefined);
      req.on('close', () => {
        if (!req.complete) {
          entry.aborted = true;
          entry.body = Buffer.concat(chunks);
          resolve(entry.body);
        }
      });
    });
    handler(req, res, body);
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** Answers 200 with a JSON echo of what arrived: method, url, raw headers, body length. */
export function startEchoUpstream(): Promise<TestUpstream> {
  return startUpstream((req, res, body) => {
    void body.then((b) => {
      const payload = JSON.stringify({
        method: req.method,
        url: req.url,
        rawHeaders: req.rawHeaders,
        bodyLength: b.length,
        body: b.toString('latin1'),
      });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(payload);
    });
  });
}

/** A base URL on which nothing listens. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return `http://127.0.0.1:${port}`;
}

/** Resolves once `predicate` holds, checking every few milliseconds (the test timeout bounds it). */
export async function until(predicate: () => boolean): Promise<void> {
  while (!predicate()) await new Promise((r) => setTimeout(r, 5));
}

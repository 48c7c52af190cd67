import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { attrs, type OtlpKv } from '../support/otlp-receiver.js';

/**
 * An OTLP/HTTP receiver that keeps every export request's bytes exactly as they arrived (gzip
 * undone), so a test can search the wire payload itself for values that must never leave the pod.
 */
export interface RawOtlpReceiver {
  endpoint: string;
  payloads: Buffer[];
  close(): Promise<void>;
}

export async function startRawOtlpReceiver(): Promise<RawOtlpReceiver> {
  const payloads: Buffer[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      payloads.push(req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}/v1/traces`,
    payloads,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Attributes of every span of kind `kind` (2 = SERVER) in OTLP/JSON payloads. */
export function spansOfKind(payloads: Buffer[], kind: number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const p of payloads) {
    const body = JSON.parse(p.toString('utf8')) as {
      resourceSpans?: { scopeSpans?: { spans?: { kind: number; attributes?: OtlpKv[] }[] }[] }[];
    };
    for (const rs of body.resourceSpans ?? [])
      for (const ss of rs.scopeSpans ?? [])
        for (const s of ss.spans ?? []) {
          if (s.kind === kind) out.push(attrs(s.attributes));
        }
  }
  return out;
}

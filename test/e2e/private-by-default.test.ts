import { readFileSync, readdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenHashText } from '../../collector/auth/token-hash.js';
import { readCollectorConfig } from '../../collector/config.js';
import type { RunningCollector } from '../../collector/main.js';
import { startCollector } from '../../collector/main.js';
import { loadSidecarSetup } from '../../sidecar/cli.js';
import type { SidecarHandle } from '../../sidecar/main.js';
import { startSidecar } from '../../sidecar/main.js';
import { startUpstream, type TestUpstream } from '../sidecar/support/upstream.js';

// The audit's payloads — names, addresses, birth dates, card numbers as text and as numbers (also a
// 64-bit tensor element), IBANs, e-mails in bodies, query strings and the user agent, raw subject
// ids — sent through the real sidecar with its defaults and a key, into the real collector behind
// tokens. Not one raw value may appear in the OTLP bytes the sidecar exported, nor in the bytes of
// the collector's database files.
const RAW = {
  name: 'Margaret Hamilton',
  address: '12 Harbour Street, Leith',
  date_of_birth: '1936-08-17',
  card_text: '4111 1111 1111 1111',
  card_number: 4111111111111111,
  amount_that_is_a_card: 5555555555554444,
  iban: 'GB82WEST12345698765432',
  email: 'margaret.h@example.org',
  comment: 'please write to margaret.h@example.org or call +44 20 7946 0958',
  customer_id: 'CUST-99812',
  national_id: 'AB123456C',
  subject: 'subject-raw-777',
  int64_card: 4012888888881881,
  tracestate_email: 'ann.ts@example.org',
};
const SIDECAR_TOKEN = 'itk_sidecar-test-token-000000000000000000';
const READ_TOKEN = 'itk_read-test-token-0000000000000000000000';
const KEY = '5f'.repeat(32);

/** Every way a raw value could sit in bytes: its text (and URL-encoded), and a number's binary forms. */
function needles(): { what: string; bytes: Buffer }[] {
  const out: { what: string; bytes: Buffer }[] = [];
  const text = (what: string, s: string): void => {
    out.push({ what, bytes: Buffer.from(s, 'utf8') });
  };
  for (const [k, v] of Object.entries(RAW)) {
    if (typeof v === 'number') {
      text(k, String(v));
      const f = Buffer.alloc(8);
      f.writeDoubleLE(v);
      out.push({ what: `${k} as a double`, bytes: Buffer.from(f) });
      f.writeBigInt64LE(BigInt(v));
      out.push({ what: `${k} as an int64`, bytes: Buffer.from(f) });
      out.push({ what: `${k} as a varint`, bytes: varint(BigInt(v)) });
    } else {
      text(k, v);
      text(`${k} URL-encoded`, encodeURIComponent(v));
    }
  }
  for (const part of ['Margaret', 'Hamilton', 'Harbour', 'margaret.h', '4111111111111111', '7946 0958'])
    text(`part ${part}`, part);
  return out;
}

function varint(n: bigint): Buffer {
  const bytes: number[] = [];
  let v = n;
  while (v >= 0x80n) {
    bytes.push(Number((v & 0x7fn) | 0x80n));
    v >>= 7n;
  }
  bytes.push(Number(v));
  return Buffer.from(bytes);
}

function found(haystack: Buffer): string[] {
  return needles()
    .filter((n) => haystack.includes(n.bytes))
    .map((n) => n.what);
}

describe('private by default: the audit payloads through sidecar and collector', () => {
  let dir: string;
  let collector: RunningCollector;
  let tee: Server;
  let upstream: TestUpstream;
  let sidecar: SidecarHandle;
  const exported: Buffer[] = [];
  const exportAuth: string[] = [];
  const headersBefore = process.env['OTEL_EXPORTER_OTLP_HEADERS'];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'infertrace-private-'));
    const tokens = `sidecar ingest ${tokenHashText(SIDECAR_TOKEN)}\nreader read ${tokenHashText(READ_TOKEN)}`;
    collector = await startCollector(
      readCollectorConfig(
        { port: '0', db: join(dir, 'data', 'spans.db'), 'log-level': 'silent', retention: '0' },
        { INFERTRACE_TOKENS: tokens },
      ),
    );
    await collector.opening.opened();

    // Between sidecar and collector: keeps the exported bytes, passes them on unchanged.
    tee = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        exported.push(body);
        exportAuth.push(String(req.headers.authorization));
        void fetch(`${collector.url}${req.url ?? ''}`, {
          method: 'POST',
          body,
          headers: {
            'content-type': String(req.headers['content-type']),
            authorization: String(req.headers.authorization),
          },
        }).then(async (r) => {
          res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/octet-stream' });
          res.end(Buffer.from(await r.arrayBuffer()));
        });
      });
    });
    await new Promise<void>((r) => tee.listen(0, '127.0.0.1', r));

    upstream = await startUpstream((req, res, body) => {
      void body.then(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          req.url?.startsWith('/v2/')
            ? JSON.stringify({
                model_name: 'scorer',
                outputs: [{ name: 'score', datatype: 'FP64', shape: [1], data: [0.7] }],
              })
            : JSON.stringify({ score: 0.7, segment: 'gold' }),
        );
      });
    });

    // The standard OTLP variable the exporter reads, as a Secret would set it.
    process.env['OTEL_EXPORTER_OTLP_HEADERS'] = `authorization=Bearer ${SIDECAR_TOKEN}`;
    const { config, options } = loadSidecarSetup(
      { upstream: upstream.url, listen: '127.0.0.1:0', 'admin-port': '0' },
      {
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(tee.address() as AddressInfo).port}`,
        OTEL_BSP_SCHEDULE_DELAY: '20',
        INFERTRACE_HMAC_KEY: KEY,
        INFERTRACE_SUBJECT_HEADER: 'x-subject-id',
      },
    );
    sidecar = await startSidecar(config, { ...options, log: () => undefined });

    const send = (path: string, body: unknown, requestId: string): Promise<Response> =>
      fetch(`${sidecar.url}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-request-id': requestId,
          'x-subject-id': RAW.subject,
          'user-agent': `AuditBot/1.0 (${RAW.email})`,
          traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
          tracestate: `acme=${RAW.tracestate_email},other=t61rcWkgMzE`,
        },
        body: JSON.stringify(body),
      });
    const { subject: _subject, int64_card: _int64, tracestate_email: _ts, ...features } = RAW;
    expect(
      (
        await send(
          `/predict?email=${encodeURIComponent(RAW.email)}&note=${encodeURIComponent(RAW.comment)}`,
          { ...features, age: 42, segment: 'gold' },
          'audit-1',
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await send(
          '/v2/models/scorer/infer',
          {
            inputs: [
              { name: 'account', datatype: 'INT64', shape: [1], data: [RAW.int64_card] },
              { name: 'age', datatype: 'FP64', shape: [1], data: [42] },
            ],
          },
          'audit-2',
        )
      ).status,
    ).toBe(200);

    // Both requests' spans stored (read with a read token).
    const deadline = Date.now() + 20_000;
    for (const id of ['audit-1', 'audit-2']) {
      while (Date.now() < deadline) {
        const res = await fetch(`${collector.url}/api/requests/${id}`, {
          headers: { authorization: `Bearer ${READ_TOKEN}` },
        });
        if (res.status === 200) break;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }, 60_000);

  afterAll(async () => {
    if (headersBefore === undefined) delete process.env['OTEL_EXPORTER_OTLP_HEADERS'];
    else process.env['OTEL_EXPORTER_OTLP_HEADERS'] = headersBefore;
    await sidecar?.close();
    await upstream?.close();
    await new Promise((r) => tee?.close(r));
    await collector?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the sidecar sent its token the standard way, and the collector kept what it sent', async () => {
    expect(exportAuth.length).toBeGreaterThan(0);
    expect(new Set(exportAuth)).toEqual(new Set([`Bearer ${SIDECAR_TOKEN}`]));
    const res = await fetch(`${collector.url}/api/requests/audit-1`, {
      headers: { authorization: `Bearer ${READ_TOKEN}` },
    });
    const text = await res.text();
    expect(res.status).toBe(200);
    // The non-identifying features are still there, the identifying ones as pseudonyms.
    expect(text).toContain('"ml.input.age":42');
    expect(text).toContain('"ml.input.segment":"gold"');
    expect(text).toMatch(/"ml\.input\.email":"hmac:[^"]+"/);
    expect(text).toMatch(/"enduser\.pseudo\.id":"hmac:/);
    expect(text).toContain('/24');
  });

  it('passes the tracestate on to the model unchanged, and records it without the member holding an e-mail', () => {
    const sent = upstream.received.map((r) =>
      r.rawHeaders.find((h, i) => i % 2 === 1 && r.rawHeaders[i - 1]?.toLowerCase() === 'tracestate'),
    );
    expect(sent[0]).toBe(`acme=${RAW.tracestate_email},other=t61rcWkgMzE`);
    expect(Buffer.concat(exported).includes(Buffer.from('other=t61rcWkgMzE'))).toBe(true);
  });

  it('exported OTLP bytes hold none of the raw values', () => {
    expect(exported.length).toBeGreaterThan(0);
    expect(found(Buffer.concat(exported))).toEqual([]);
  });

  it('the database files hold none of the raw values', async () => {
    await collector.close(); // everything written, the WAL folded in or left beside
    const files = readdirSync(join(dir, 'data')).map((f) => join(dir, 'data', f));
    expect(files.length).toBeGreaterThan(0);
    const problems = files.flatMap((f) => found(readFileSync(f)).map((w) => `${f}: ${w}`));
    expect(problems).toEqual([]);
  });
});

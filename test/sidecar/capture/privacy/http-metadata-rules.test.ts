import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, ConfigReader } from '../../../../shared/config.js';
import { readCaptureSettings } from '../../../../sidecar/capture/capture-settings.js';
import { loadSidecarSetup } from '../../../../sidecar/cli.js';
import { startSidecar, type SidecarHandle } from '../../../../sidecar/main.js';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../../../sidecar/support/otlp-receiver.js';
import { startUpstream, type TestUpstream } from '../../../sidecar/support/upstream.js';

// `http_metadata:` of the rules file, through the real sidecar (its command-line setup, its proxy,
// its OTLP exporter): what each rule does to url.query, url.full, user_agent.original and
// client.address, and the protections that apply where no rule says otherwise.
const KEY = 'a3f1c2d4e5b60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9';
const QUERY = 'email=ann%40example.com&limit=10';
const AGENT = 'AuditBot/1.0 (ann@example.com)';
const SERVER = 2;
const CLIENT = 3;

const dir = mkdtempSync(join(tmpdir(), 'infertrace-metadata-rules-'));
let upstream: TestUpstream;
let receiver: OtlpReceiver;
beforeAll(async () => {
  upstream = await startUpstream((_req, res, body) => {
    void body.then(() => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"score":0.5}');
    });
  });
  receiver = await startOtlpReceiver();
});
afterAll(async () => {
  await upstream?.close();
  await receiver?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** One call through a sidecar started with this rules file (or none); its SERVER and CLIENT spans. */
async function callThrough(
  rules: string | undefined,
  requestId: string,
): Promise<{ server: ReceivedSpan; client: ReceivedSpan }> {
  const flags: Record<string, string> = { upstream: upstream.url, listen: '127.0.0.1:0', 'admin-port': '0' };
  if (rules !== undefined) {
    flags['capture-rules'] = join(dir, `${requestId}.yaml`);
    writeFileSync(flags['capture-rules'], rules);
  }
  const { config, options } = loadSidecarSetup(flags, {
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.endpoint,
    OTEL_BSP_SCHEDULE_DELAY: '20',
    INFERTRACE_HMAC_KEY: KEY,
  });
  let sidecar: SidecarHandle | undefined;
  try {
    sidecar = await startSidecar(config, { ...options, log: () => undefined });
    const res = await fetch(`${sidecar.url}/v2/models/iris/infer?${QUERY}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': requestId, 'user-agent': AGENT },
      body: '{"inputs":[]}',
    });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
  } finally {
    await sidecar?.close();
  }
  // The SERVER span carries the request id; the CLIENT span is its child in the same trace.
  const serverOf = (all: ReceivedSpan[]) =>
    all.find((s) => s.kind === SERVER && s.attributes['ml.request.id'] === requestId);
  const spans = await receiver.waitFor((all) => {
    const server = serverOf(all);
    return server !== undefined && all.some((s) => s.kind === CLIENT && s.traceId === server.traceId);
  });
  const server = serverOf(spans) as ReceivedSpan;
  const client = spans.find((s) => s.kind === CLIENT && s.traceId === server.traceId) as ReceivedSpan;
  return { server, client };
}

describe('http_metadata in the rules file, through the real sidecar', () => {
  it('protects every piece by default: the address cut to /24, query and user agent scanned', async () => {
    const { server, client } = await callThrough(undefined, 'defaults');
    expect(server.attributes).toMatchObject({
      'client.address': '127.0.0.0/24',
      'url.query': 'email=[redacted]&limit=10',
      'user_agent.original': 'AuditBot/1.0 ([email])',
    });
    expect(client.attributes['url.full']).toMatch(/\/v2\/models\/iris\/infer\?email=\[redacted\]&limit=10$/);
  });

  it('keeps client.address raw and drops url.query when rules say so, protecting the rest as by default', async () => {
    const rules = 'http_metadata:\n  client.address: keep\n  url.query: drop\n';
    const { server, client } = await callThrough(rules, 'keep-and-drop');
    expect(server.attributes['client.address']).toBe('127.0.0.1');
    expect(server.attributes).not.toHaveProperty('url.query');
    expect(server.attributes['user_agent.original']).toBe('AuditBot/1.0 ([email])');
    expect(client.attributes['url.full']).toMatch(/\?email=\[redacted\]&limit=10$/);
  });

  it('pseudonymises, keeps raw or drops the rest by rule', async () => {
    const rules = [
      'http_metadata:',
      '  client.address: drop',
      '  url.query: pseudonymise',
      '  url.full: keep',
      '  user_agent.original: pseudonymize',
    ].join('\n');
    const { server, client } = await callThrough(rules, 'pseudonyms');
    expect(server.attributes).not.toHaveProperty('client.address');
    expect(server.attributes['url.query']).toMatch(/^email=hmac:[\w.-]+:[0-9a-f]{64}&limit=hmac:[\w.-]+:[0-9a-f]{64}$/);
    expect(server.attributes['user_agent.original']).toMatch(/^hmac:[\w.-]+:[0-9a-f]{64}$/);
    expect(client.attributes['url.full']).toMatch(new RegExp(`\\?${QUERY}$`));
  });
});

describe('http_metadata problems', () => {
  const problems = (rules: string, env: Record<string, string> = {}): string => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, rules);
    const reader = new ConfigReader({ 'capture-rules': file }, env);
    readCaptureSettings(reader);
    try {
      reader.done();
    } catch (err) {
      if (err instanceof ConfigError) return err.message;
      throw err;
    }
    return '';
  };

  it.each([
    ['http_metadata:\n  client.adress: keep\n', /bad\.yaml:2: http_metadata: unknown key "client\.adress"/],
    [
      'http_metadata:\n  url.query: hide\n',
      /bad\.yaml:2: http_metadata\.url\.query must be one of protect, keep, drop, pseudonymise, got "hide"/,
    ],
    ['http_metadata: keep\n', /bad\.yaml:1: http_metadata must be a mapping/],
    [
      'http_metadata:\n  client.address: pseudonymise\n',
      /bad\.yaml:2: http_metadata\.client\.address: pseudonymise needs a key/,
    ],
  ])('%j is refused with its line', (rules, message) => {
    expect(problems(rules)).toMatch(message);
  });
});

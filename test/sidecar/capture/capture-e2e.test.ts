import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigReader } from '../../../shared/config.js';
import { createCaptureObserverFactory } from '../../../sidecar/capture/capture-observer.js';
import { readCaptureSettings } from '../../../sidecar/capture/capture-settings.js';
import { Pseudonymiser } from '../../../shared/pseudonyms/hmac.js';
import type { SidecarHandle } from '../../../sidecar/main.js';
import { startTestSidecar } from '../support/sidecar-harness.js';
import { startUpstream, type TestUpstream } from '../support/upstream.js';
import { spansOfKind, startRawOtlpReceiver, type RawOtlpReceiver } from './raw-otlp-receiver.js';

/*
 * End to end: client → real sidecar (buildApp with the capture observer) → real upstream, spans
 * through the real OTLP/HTTP exporter to a receiver that keeps the bytes. Every raw value a rule
 * or a PII detector removes is searched for in those bytes.
 */
const KEY = 'e2e0123456789abcdef0123456789abcdef0';
const RULES = `
rules:
  - match: email
    action: drop
  - match: ssn
    action: mask
  - match: customer_id
    action: pseudonymise
  - match: age
    action: generalise
    width: 10
  - match: contact
    action: drop
    scope: outputs
`;

const request = {
  dataframe_records: [
    {
      customer_id: 'CUST-000981',
      email: 'jane.doe@example.org',
      ssn: '536-22-1234',
      age: 34,
      plan: 'basic',
      comment: 'card 4111 1111 1111 1111, iban DE89 3704 0044 0532 0130 00',
    },
    {
      customer_id: 'CUST-000982',
      email: 'rick.roe@example.net',
      ssn: '219-09-9999',
      age: 47,
      plan: 'premium',
      comment: 'call +44 20 7946 0958 from 203.0.113.77 or 2001:db8::42',
    },
  ],
};
const response = {
  predictions: [
    { label: 'churn', score: 0.91, contact: 'jane.doe@example.org', reason: 'asked at ops@example.com' },
    { label: 'stay', score: 0.12, contact: 'rick.roe@example.net', reason: 'ssn on file 078-05-1120' },
  ],
};
const SUBJECT = 'subject-7f3a-9921';

/** Values that must not appear anywhere in the exported bytes. */
const RAW_VALUES = [
  'CUST-000981',
  'CUST-000982',
  'jane.doe@example.org',
  'rick.roe@example.net',
  '536-22-1234',
  '219-09-9999',
  '4111 1111 1111 1111',
  '4111111111111111',
  'DE89 3704 0044 0532 0130 00',
  'DE89370400440532013000',
  '+44 20 7946 0958',
  '203.0.113.77',
  '2001:db8::42',
  'ops@example.com',
  '078-05-1120',
  SUBJECT,
];

describe('capture end to end, through the real sidecar and OTLP exporter', () => {
  let dir: string;
  let upstream: TestUpstream;
  let receiver: RawOtlpReceiver;
  let sidecar: SidecarHandle;
  let reply: { status: number; body: string };
  const requestBody = JSON.stringify(request);
  const responseBody = JSON.stringify(response);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'infertrace-e2e-'));
    writeFileSync(join(dir, 'rules.yaml'), RULES);
    writeFileSync(join(dir, 'hmac.key'), `${KEY}\n`);
    const reader = new ConfigReader(
      {},
      {
        INFERTRACE_CAPTURE_RULES: join(dir, 'rules.yaml'),
        INFERTRACE_HMAC_KEY_FILE: join(dir, 'hmac.key'),
        INFERTRACE_HMAC_KEY_ID: 'e2e1',
        INFERTRACE_SUBJECT_HEADER: 'x-subject-id',
      },
    );
    const settings = readCaptureSettings(reader);
    reader.done();
    upstream = await startUpstream((_req, res, body) => {
      void body.then(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(responseBody);
      });
    });
    receiver = await startRawOtlpReceiver();
    sidecar = await startTestSidecar(
      upstream.url,
      {
        OTEL_TRACES_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.endpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      },
      createCaptureObserverFactory(settings),
    );
    const res = await fetch(`${sidecar.url}/invocations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-subject-id': SUBJECT },
      body: requestBody,
    });
    reply = { status: res.status, body: await res.text() };
    await sidecar.close(); // flushes every span to the receiver
  });

  afterAll(async () => {
    await Promise.allSettled([upstream?.close(), receiver?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('changes nothing the client or the model sees', () => {
    expect(reply).toEqual({ status: 200, body: responseBody });
    expect(upstream.received[0]?.body.toString('utf8')).toBe(requestBody);
  });

  it('exports the SERVER span with the captured, privacy-filtered payload', () => {
    const servers = spansOfKind(receiver.payloads, 2);
    expect(servers).toHaveLength(1);
    const p = new Pseudonymiser('e2e1', Buffer.from(KEY, 'hex'));
    expect(servers[0]).toMatchObject({
      'ml.protocol': 'mlflow',
      'ml.batch.size': 2,
      'ml.capture': 'full',
      'ml.input.customer_id': [
        p.pseudonymise('CUST-000981', 'ml.input.customer_id'),
        p.pseudonymise('CUST-000982', 'ml.input.customer_id'),
      ],
      'ml.input.ssn': ['[masked]', '[masked]'],
      'ml.input.age': ['30-39', '40-49'],
      'ml.input.plan': ['basic', 'premium'],
      'ml.input.comment': ['card [payment_card], iban [iban]', 'call [phone] from [ip_address] or [ip_address]'],
      'ml.output.label': ['churn', 'stay'],
      'ml.output.score': [0.91, 0.12],
      'ml.output.reason': ['asked at [email]', 'ssn on file [us_ssn]'],
      'enduser.pseudo.id': p.pseudonymise(SUBJECT, 'enduser.pseudo.id'),
    });
    expect(servers[0]?.['ml.input.email']).toBeUndefined();
    expect(servers[0]?.['ml.output.contact']).toBeUndefined();
    expect(servers[0]?.['ml.privacy.redacted']).toEqual([
      'ml.input.email',
      'ml.input.ssn',
      'ml.input.comment',
      'ml.output.contact',
      'ml.output.reason',
    ]);
  });

  it.each(RAW_VALUES)('never exports the raw value %s', (raw) => {
    const bytes = Buffer.concat(receiver.payloads);
    expect(bytes.length).toBeGreaterThan(0);
    expect(bytes.includes(Buffer.from(raw))).toBe(false);
  });
});

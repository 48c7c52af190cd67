import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ConfigReader } from '../../../shared/config.js';
import type { Attributes } from '../../../shared/span-record.js';
import { createCaptureObserverFactory } from '../../../sidecar/capture/capture-observer.js';
import { readCaptureSettings, type CaptureSettings } from '../../../sidecar/capture/capture-settings.js';
import type { ExchangeInfo, ExchangeOutcome } from '../../../sidecar/proxy/exchange-observer.js';

const KEY = '0123456789abcdef0123456789abcdef';

function settings(env: Record<string, string> = {}): CaptureSettings {
  const reader = new ConfigReader({}, env);
  const s = readCaptureSettings(reader);
  reader.done();
  return s;
}

interface Drive {
  info?: Partial<ExchangeInfo>;
  request: (string | Buffer)[];
  status?: number;
  responseHeaders?: Record<string, string>;
  response: (string | Buffer)[];
  outcome?: Partial<ExchangeOutcome>;
}

/** Plays one exchange through an observer the way the proxy does: chunks, response start, finish. */
function drive(s: CaptureSettings, d: Drive, random?: () => number): Attributes | undefined {
  const info: ExchangeInfo = { method: 'POST', url: '/v2/models/iris/infer', requestHeaders: {}, ...d.info };
  const observer = createCaptureObserverFactory(s, random)(info);
  if (!observer) return undefined;
  for (const c of d.request) observer.onRequestChunk(Buffer.from(c));
  const status = d.status ?? 200;
  observer.onResponseStart(status, d.responseHeaders ?? { 'content-type': 'application/json' });
  for (const c of d.response) observer.onResponseChunk(Buffer.from(c));
  return observer.finish({ completed: true, statusCode: status, ...d.outcome });
}

const oipRequest = JSON.stringify({
  id: 'r1',
  inputs: [{ name: 'x', shape: [2], datatype: 'FP32', data: [1.5, 2.5] }],
});
const oipResponse = JSON.stringify({
  model_name: 'iris',
  outputs: [{ name: 'y', shape: [2], datatype: 'INT64', data: [0, 1] }],
});
const split = (text: string, n: number): string[] =>
  Array.from({ length: Math.ceil(text.length / n) }, (_, i) => text.slice(i * n, i * n + n));

describe('the capture observer', () => {
  it('captures an exchange seen in small chunks', () => {
    expect(drive(settings(), { request: split(oipRequest, 7), response: split(oipResponse, 5) })).toEqual({
      'ml.protocol': 'oip-v2',
      'ml.model.name': 'iris',
      'ml.request.id': 'r1',
      'ml.batch.size': 2,
      'ml.input.x': [1.5, 2.5],
      'ml.output.y': [0, 1],
      'ml.capture': 'full',
    });
  });

  it.each<[string, Drive, Record<string, unknown>]>([
    [
      'a request over the size limit',
      { request: [oipRequest, ' '.repeat(200)], response: [oipResponse] },
      { 'ml.capture': 'skipped', 'ml.capture.reason': 'too_large' },
    ],
    [
      'a response over the size limit',
      { request: [oipRequest], response: [oipResponse, ' '.repeat(300)] },
      { 'ml.capture': 'truncated', 'ml.capture.reason': 'response_too_large' },
    ],
    [
      'a gzip response',
      { request: [oipRequest], responseHeaders: { 'content-encoding': 'gzip' }, response: [gzipSync(oipResponse)] },
      { 'ml.capture': 'full', 'ml.output.y': [0, 1] },
    ],
    [
      'a non-JSON request',
      { request: ['x=1&y=2'], response: [oipResponse] },
      { 'ml.capture': 'skipped', 'ml.capture.reason': 'not_json' },
    ],
    [
      'an upstream error',
      { request: [oipRequest], status: 500, response: ['{"error":"boom"}'] },
      { 'ml.capture': 'full', 'ml.input.x': [1.5, 2.5] },
    ],
    [
      'an exchange cut short',
      { request: [oipRequest], response: [oipResponse.slice(0, 10)], outcome: { completed: false } },
      { 'ml.capture': 'full', 'ml.input.x': [1.5, 2.5] },
    ],
  ])('%s', (_name, d, expected) => {
    const attrs = drive(settings({ INFERTRACE_CAPTURE_MAX_BYTES: '256' }), d);
    expect(attrs).toMatchObject(expected);
    if (d.status === 500 || d.outcome?.completed === false)
      expect(Object.keys(attrs ?? {}).some((k) => k.startsWith('ml.output.'))).toBe(false);
  });

  it.each<[string, Record<string, string>, Partial<ExchangeInfo>]>([
    ['capture is off', { INFERTRACE_CAPTURE: 'off' }, {}],
    ['a GET (health, metadata)', {}, { method: 'GET', url: '/v2/models/iris' }],
    ['a HEAD', {}, { method: 'HEAD' }],
  ])('observes nothing when %s', (_name, env, info) => {
    expect(drive(settings(env), { info, request: [], response: [] })).toBeUndefined();
  });

  it.each<[number, number, boolean]>([
    [0.5, 0.49, true],
    [0.5, 0.5, false],
    [0, 0, false],
    [1, 0.999, true],
  ])('with ratio %d and a draw of %d captures: %s', (ratio, draw, captured) => {
    const s = settings({ INFERTRACE_CAPTURE_SAMPLE_RATIO: String(ratio) });
    const attrs = drive(s, { request: [oipRequest], response: [oipResponse] }, () => draw);
    expect(attrs?.['ml.capture']).toBe(captured ? 'full' : 'skipped');
    if (!captured)
      expect(attrs).toEqual({
        'ml.protocol': 'oip-v2',
        'ml.model.name': 'iris',
        'ml.capture': 'skipped',
        'ml.capture.reason': 'sampled_out',
      });
  });

  it('records the subject from its header as a keyed HMAC, sampled or not', () => {
    const s = settings({
      INFERTRACE_SUBJECT_HEADER: 'x-subject-id',
      INFERTRACE_HMAC_KEY: KEY,
      INFERTRACE_HMAC_KEY_ID: 'k1',
      INFERTRACE_CAPTURE_SAMPLE_RATIO: '0.5',
    });
    const info = { requestHeaders: { 'x-subject-id': 'subject-42' } };
    const expected = s.privacy.pseudonymiser?.pseudonymise('subject-42', 'enduser.pseudo.id');
    for (const draw of [0.1, 0.9]) {
      const attrs = drive(s, { info, request: [oipRequest], response: [oipResponse] }, () => draw);
      expect(attrs?.['enduser.pseudo.id']).toBe(expected);
      expect(JSON.stringify(attrs)).not.toContain('subject-42');
    }
  });

  it('reads the JSON part of an OIP binary-extension body', () => {
    const json = JSON.stringify({
      inputs: [{ name: 'img', shape: [1, 4], datatype: 'UINT8', parameters: { binary_data_size: 4 } }],
    });
    const attrs = drive(settings(), {
      info: { requestHeaders: { 'inference-header-content-length': String(json.length) } },
      request: [json, Buffer.from([1, 2, 3, 4])],
      response: [oipResponse],
    });
    expect(attrs).toMatchObject({ 'ml.input.img.bytes': 4, 'ml.capture': 'full' });
  });

  it('turns a failure inside capture into a skipped capture, never a throw', () => {
    const broken = {
      ...settings(),
      get models(): never {
        throw new Error('boom');
      },
    } as CaptureSettings;
    expect(drive(broken, { request: [oipRequest], response: [oipResponse] })).toEqual({
      'ml.capture': 'skipped',
      'ml.capture.reason': 'capture_error',
    });
  });
});

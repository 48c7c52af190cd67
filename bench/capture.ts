/**
 * Capture + privacy cost per request, beside its same-run baseline.
 *
 * Payload: 100 numeric and 10 string features, batch of 8 (OIP v2 with one tensor per feature, and
 * MLflow dataframe_split), response with two outputs per row; the same payload and rules as
 * section 3 of bench/sidecar.ts (bench/sidecar-payload.ts). The capture side runs the real
 * observer (chunks in, attributes out) with a rules file that drops, masks, pseudonymises and
 * generalises, plus the PII scan of every string. Baseline: JSON.parse of the same two bodies,
 * which is the least any payload capture must do.
 *
 *   npx tsx bench/capture.ts [--seconds 2]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigReader } from '../shared/config.js';
import { createCaptureObserverFactory, type CaptureObserverFactory } from '../sidecar/capture/capture-observer.js';
import { readCaptureSettings } from '../sidecar/capture/capture-settings.js';
import {
  FEATURE_NAMES,
  HMAC_KEY,
  NUMERIC,
  OIP_REQUEST,
  ROWS,
  RULES,
  STRINGS,
  TABLE,
  oipResponse as oipResponseFor,
} from './sidecar-payload.js';
import { measure } from './interleaved.js';

const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1]) || 2;

const oipResponse = JSON.stringify(
  oipResponseFor(
    TABLE.map((_, r) => r / 10),
    'bench',
  ),
);
const mlflowRequest = JSON.stringify({ dataframe_split: { columns: FEATURE_NAMES, data: TABLE } });
const mlflowResponse = JSON.stringify({
  predictions: TABLE.map((_, r) => ({ label: r % 2 ? 'stay' : 'churn', score: r / 10 })),
});

function factory(dir: string): CaptureObserverFactory {
  writeFileSync(join(dir, 'rules.yaml'), RULES);
  const reader = new ConfigReader(
    {},
    {
      INFERTRACE_CAPTURE_RULES: join(dir, 'rules.yaml'),
      INFERTRACE_HMAC_KEY: HMAC_KEY,
      INFERTRACE_CAPTURE_MAX_FEATURES: '256',
    },
  );
  const settings = readCaptureSettings(reader);
  reader.done();
  return createCaptureObserverFactory(settings);
}

function captureOnce(observe: CaptureObserverFactory, path: string, request: Buffer, response: Buffer): void {
  const o = observe({ method: 'POST', url: path, requestHeaders: { 'content-type': 'application/json' } });
  if (!o) throw new Error('no observer');
  o.onRequestChunk(request);
  o.onResponseStart(200, { 'content-type': 'application/json' });
  o.onResponseChunk(response);
  const attrs = o.finish({ completed: true, statusCode: 200 });
  if (attrs['ml.capture'] !== 'full')
    throw new Error(`capture was ${String(attrs['ml.capture'])}: ${String(attrs['ml.capture.reason'])}`);
}

const dir = mkdtempSync(join(tmpdir(), 'infertrace-bench-'));
try {
  const observe = factory(dir);
  console.log(
    `capture + privacy: ${NUMERIC} numeric + ${STRINGS} string features, batch of ${ROWS}, ${seconds}s per protocol, interleaved rounds`,
  );
  for (const [protocol, path, req, res] of [
    ['oip-v2', '/v2/models/bench/infer', OIP_REQUEST, oipResponse],
    ['mlflow', '/invocations', mlflowRequest, mlflowResponse],
  ] as const) {
    const request = Buffer.from(req);
    const response = Buffer.from(res);
    const [baseline, capture] = measure(
      [
        () => {
          JSON.parse(request.toString('utf8'));
          JSON.parse(response.toString('utf8'));
        },
        () => captureOnce(observe, path, request, response),
      ],
      seconds,
    ) as [number, number];
    console.log(
      `${protocol.padEnd(7)} bodies ${request.length + response.length} B | baseline JSON.parse ${baseline.toFixed(1)} µs/req` +
        ` | capture+privacy ${capture.toFixed(1)} µs/req | ratio ${(capture / baseline).toFixed(2)}×` +
        ` | added over parse ${(capture - baseline).toFixed(1)} µs/req`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

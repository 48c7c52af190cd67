/**
 * Where a captured exchange's CPU goes, step by step, for the payloads of the open-loop bench
 * (bench/open-loop-payloads.ts), beside the same-run baseline of JSON.parse of the two bodies:
 *   npm run bench:capture-steps -- [--seconds 2]
 *
 *  - thread, attributes: the capture thread's work when it sends the features back as attributes
 *    (parse, extraction, privacy, PII scan, HMAC), plus the structured clone of its reply;
 *  - thread, encoded: the same with the features written as OTLP/protobuf in the thread;
 *  - loop, attributes: what the proxy's event loop then does with attributes (convert, set on the
 *    SERVER span, encode it for export);
 *  - loop, encoded: the same when the features come encoded (set the rest, copy the bytes).
 * In-process with the capture bench's rules (bench/sidecar-payload.ts); interleaved rounds.
 */
import { SpanKind } from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigReader } from '../shared/config.js';
import { readCaptureSettings } from '../sidecar/capture/capture-settings.js';
import type { CaptureJob, CaptureReply } from '../sidecar/capture/threads/capture-job.js';
import { runCaptureJob } from '../sidecar/capture/threads/run-capture-job.js';
import { modelRoute } from '../sidecar/proxy/model-path.js';
import { toOtelAttributes } from '../sidecar/telemetry/otel-attribute-values.js';
import { encodeTraceRequest } from '../sidecar/telemetry/otlp-proto.js';
import { attachEncodedAttributes } from '../sidecar/telemetry/pre-encoded-attributes.js';
import { measure } from './interleaved.js';
import { payloads } from './open-loop-payloads.js';
import { HMAC_KEY, RULES, WIDE_PATH, oipResponse } from './sidecar-payload.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '2' } } });
const SECONDS = Number(values.seconds);

const SMALL_ANSWER = JSON.stringify({
  model_name: 'example',
  outputs: [{ name: 'score', shape: [1], datatype: 'FP32', data: [0.5] }],
});

const dir = mkdtempSync(join(tmpdir(), 'infertrace-bench-'));
try {
  writeFileSync(join(dir, 'rules.yaml'), RULES);
  const settings = readCaptureSettings(
    new ConfigReader({}, { INFERTRACE_CAPTURE_RULES: join(dir, 'rules.yaml'), INFERTRACE_HMAC_KEY: HMAC_KEY }),
  );
  const tracer = new BasicTracerProvider({ spanLimits: { attributeCountLimit: 4096 } }).getTracer('bench');
  const exportSpan = (attrs: CaptureReply['attrs'], encoded?: string): void => {
    const span = tracer.startSpan('POST /v2/models/{model}/infer', { kind: SpanKind.SERVER });
    span.setAttributes(toOtelAttributes(attrs));
    if (encoded !== undefined) attachEncodedAttributes(span, encoded);
    span.end();
    encodeTraceRequest([span as never]);
  };

  console.log(`capture steps, µs per exchange (${SECONDS} s per payload, interleaved rounds)`);
  console.log(
    '   payload            JSON.parse  thread attrs  thread encoded   loop attrs  loop encoded   all attrs  all encoded',
  );
  for (const p of payloads(0, 0)) {
    const answer =
      p.path === WIDE_PATH ? JSON.stringify(oipResponse([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8])) : SMALL_ANSWER;
    const job = (): CaptureJob => ({
      id: 1,
      route: modelRoute(p.path),
      request: { bytes: new Uint8Array(p.body), framing: {} },
      response: { bytes: new Uint8Array(Buffer.from(answer)), framing: {} },
    });
    const reply = {
      attrs: runCaptureJob(settings, job(), false),
      encoded: runCaptureJob(settings, job(), true),
    };
    if (reply.attrs.attrs['ml.capture'] === 'skipped')
      throw new Error(`${p.name}: ${String(reply.attrs.attrs['ml.capture.reason'])}`);
    const [parse, threadAttrs, threadEncoded, loopAttrs, loopEncoded] = measure(
      [
        () => {
          JSON.parse(p.body.toString('utf8'));
          JSON.parse(answer);
        },
        () => structuredClone(runCaptureJob(settings, job(), false)),
        () => structuredClone(runCaptureJob(settings, job(), true)),
        () => exportSpan(structuredClone(reply.attrs.attrs)),
        () => exportSpan(structuredClone(reply.encoded.attrs), structuredClone(reply.encoded.encoded)),
      ],
      SECONDS,
    ) as [number, number, number, number, number];
    const f = (n: number, w: number): string => n.toFixed(1).padStart(w);
    console.log(
      `   ${p.name.padEnd(18)} ${f(parse, 10)} ${f(threadAttrs, 13)} ${f(threadEncoded, 15)} ${f(loopAttrs, 12)} ${f(loopEncoded, 13)} ${f(threadAttrs + loopAttrs, 11)} ${f(threadEncoded + loopEncoded, 12)}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

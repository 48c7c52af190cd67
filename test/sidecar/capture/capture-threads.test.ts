/**
 * Capture in threads (issue 14), through the real sidecar, OTLP exporter and receiver: the span is
 * the one capture on the event loop makes, and each fault — a thread that dies, a burst capture
 * cannot absorb, a malformed body, a body over the limit, a slow client — costs the request nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigReader } from '../../../shared/config.js';
import { createCaptureObserverFactory } from '../../../sidecar/capture/capture-observer.js';
import { captureSettingsSource, readCaptureSettings } from '../../../sidecar/capture/capture-settings.js';
import { CaptureThreads } from '../../../sidecar/capture/threads/capture-threads.js';
import { loadSidecarConfig } from '../../../sidecar/config.js';
import { startSidecar, type SidecarHandle } from '../../../sidecar/main.js';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver.js';
import { startUpstream, type TestUpstream } from '../support/upstream.js';

const FAULTY = new URL('./support/faulty-capture-thread.ts', import.meta.url);
const ANSWER = JSON.stringify({
  model_name: 'iris',
  outputs: [{ name: 'label', shape: [2], datatype: 'INT64', data: [0, 1] }],
});

function oip(text: string, id: string): string {
  return JSON.stringify({
    id,
    inputs: [
      { name: 'x', shape: [2], datatype: 'FP32', data: [1.5, 2.5] },
      { name: 'note', shape: [2], datatype: 'BYTES', data: [text, 'mail me at jane.doe@example.org'] },
    ],
  });
}

let receiver: OtlpReceiver;
let upstream: TestUpstream;
const received: number[] = [];
beforeAll(async () => {
  receiver = await startOtlpReceiver();
  upstream = await startUpstream((_req, res, body) => {
    void body.then((b) => {
      received.push(b.length);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(ANSWER);
    });
  });
});
afterAll(async () => {
  await upstream.close();
  await receiver.close();
});

interface Started {
  sidecar: SidecarHandle;
  threads: CaptureThreads | undefined;
}

/** A real sidecar capturing with `env`'s settings; `faulty` runs capture in the fault tests' threads. */
async function start(
  env: Record<string, string>,
  faulty?: { maxQueued: number },
  protocol = 'http/protobuf',
): Promise<Started> {
  const reader = new ConfigReader({}, env);
  const settings = readCaptureSettings(reader);
  reader.done();
  const threads = faulty
    ? new CaptureThreads({
        threads: 1,
        maxQueued: faulty.maxQueued,
        maxBytes: settings.queueBytes,
        source: captureSettingsSource(settings) ?? {},
        script: FAULTY,
      })
    : undefined;
  const config = loadSidecarConfig(
    { upstream: upstream.url, listen: '127.0.0.1:0', 'admin-port': '0' },
    {
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
      OTEL_BSP_SCHEDULE_DELAY: '20',
      // The burst test's held captures never finish: shutdown gives up on them after this.
      ...(faulty ? { INFERTRACE_DRAIN_TIMEOUT: '1s' } : {}),
    },
  );
  const sidecar = await startSidecar(config, {
    log: () => undefined,
    observe: createCaptureObserverFactory(settings),
    ...(threads ? { captureThreads: threads } : {}),
  });
  return { sidecar, threads };
}

let traces = 0;
async function send(sidecar: SidecarHandle, body: string): Promise<{ status: number; text: string; traceId: string }> {
  traces += 1;
  const traceId = `c${traces.toString(16).padStart(31, '0')}`;
  const res = await request(`${sidecar.url}/v2/models/iris/infer`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-${'1'.repeat(16)}-01` },
  });
  return { status: res.statusCode, text: await res.body.text(), traceId };
}

async function serverSpan(traceId: string): Promise<ReceivedSpan> {
  const all = await receiver.waitFor((s) => s.some((x) => x.traceId === traceId && x.kind === 2));
  return all.find((x) => x.traceId === traceId && x.kind === 2) as ReceivedSpan;
}

const ml = (span: ReceivedSpan): Record<string, unknown> =>
  Object.fromEntries(Object.entries(span.attributes).filter(([k]) => k.startsWith('ml.') || k.startsWith('enduser.')));

/** Threads of this process at nice `n` (Linux: /proc/self/task/<tid>/stat, field 19). */
function threadsAtNice(n: number): number {
  return readdirSync('/proc/self/task').filter((tid) => {
    try {
      return Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]?.split(' ')[16]) === n;
    } catch {
      return false; // the thread ended meanwhile
    }
  }).length;
}

async function metric(sidecar: SidecarHandle, name: string): Promise<number> {
  const text = await (await fetch(`${sidecar.adminUrl}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
}

describe('capture in threads', () => {
  it('puts on the span exactly what capture on the event loop puts there', async () => {
    const env = { INFERTRACE_HMAC_KEY: '0123456789abcdef0123456789abcdef', INFERTRACE_SUBJECT_FIELD: 'id' };
    const niceBefore = threadsAtNice(10);
    const onLoop = await start({ ...env, INFERTRACE_CAPTURE_WORKERS: '0' });
    // Protobuf: the thread sends the features back encoded; JSON: as attributes.
    const inThread = await start({ ...env, INFERTRACE_CAPTURE_WORKERS: '2' });
    const inThreadJson = await start({ ...env, INFERTRACE_CAPTURE_WORKERS: '1' }, undefined, 'http/json');
    try {
      const a = await send(onLoop.sidecar, oip('call +44 20 7946 0958', 'subject-1'));
      const b = await send(inThread.sidecar, oip('call +44 20 7946 0958', 'subject-1'));
      const c = await send(inThreadJson.sidecar, oip('call +44 20 7946 0958', 'subject-1'));
      const [spanA, spanB, spanC] = [
        await serverSpan(a.traceId),
        await serverSpan(b.traceId),
        await serverSpan(c.traceId),
      ];
      expect(ml(spanA)['ml.capture']).toBe('full');
      expect(ml(spanA)['ml.input.note']).toEqual(['call [phone]', 'mail me at [email]']);
      expect(ml(spanB)).toEqual(ml(spanA));
      expect(ml(spanC)).toEqual(ml(spanA));
      // The three capture threads run below the proxy (--capture-nice, 10 by default); this one does not.
      expect(threadsAtNice(10) - niceBefore).toBe(3);
      expect(Number(readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ')[16])).toBe(0);
      expect(await metric(inThread.sidecar, 'infertrace_sidecar_capture_threads')).toBe(2);
      const text = await (await fetch(`${inThread.sidecar.adminUrl}/metrics`)).text();
      for (const q of ['0.5', '0.99', '0.999', '1'])
        expect(text).toMatch(new RegExp(`^infertrace_sidecar_event_loop_delay_seconds\\{quantile="${q}"\\} \\d`, 'm'));
    } finally {
      await Promise.all([onLoop.sidecar.close(), inThread.sidecar.close(), inThreadJson.sidecar.close()]);
    }
  });

  it('a capture thread that dies: the request succeeds, the span says why, the thread is replaced', async () => {
    const { sidecar, threads } = await start({}, { maxQueued: 16 });
    try {
      const before = threads?.threadIds() ?? [];
      const crashed = await send(sidecar, oip('crash-capture-thread', 'r1'));
      expect(crashed).toMatchObject({ status: 200, text: ANSWER });
      expect(ml(await serverSpan(crashed.traceId))).toMatchObject({
        'ml.capture': 'skipped',
        'ml.capture.reason': 'worker_crashed',
      });
      expect(threads?.stats().restarts).toBe(1);
      expect(threads?.threadIds()).not.toEqual(before);
      const next = await send(sidecar, oip('fine', 'r2'));
      expect(ml(await serverSpan(next.traceId))).toMatchObject({ 'ml.capture': 'full', 'ml.input.x': [1.5, 2.5] });
      expect(await metric(sidecar, 'infertrace_sidecar_capture_thread_restarts_total')).toBe(1);
    } finally {
      await sidecar.close();
    }
  });

  it('a burst capture cannot absorb is shed and counted; requests are answered; the queue stays bounded', async () => {
    const { sidecar, threads } = await start({}, { maxQueued: 4 });
    let held: { status: number; text: string; traceId: string }[] = [];
    try {
      // Four captures the thread never finishes fill the queue; everything after them is shed.
      held = await Promise.all([1, 2, 3, 4].map((i) => send(sidecar, oip('hold-capture-thread', `h${i}`))));
      expect(held.every((r) => r.status === 200 && r.text === ANSWER)).toBe(true);
      const burst = await Promise.all(Array.from({ length: 200 }, (_, i) => send(sidecar, oip('burst', `b${i}`))));
      expect(burst.every((r) => r.status === 200 && r.text === ANSWER)).toBe(true);
      for (const r of burst.slice(0, 5))
        expect(ml(await serverSpan(r.traceId))).toMatchObject({
          'ml.capture': 'skipped',
          'ml.capture.reason': 'overloaded',
        });
      expect(threads?.stats()).toMatchObject({ queued: 4, shed: 200 });
      expect(await metric(sidecar, 'infertrace_sidecar_capture_shed_total')).toBe(200);
      expect(await metric(sidecar, 'infertrace_sidecar_capture_queue_size')).toBe(4);
      expect(await metric(sidecar, 'infertrace_sidecar_spans_awaiting_capture')).toBe(4);
    } finally {
      await sidecar.close();
    }
    // Closing ends the held exchanges' spans too, saying why they carry no capture.
    for (const r of held)
      expect(ml(await serverSpan(r.traceId))).toMatchObject({
        'ml.capture': 'skipped',
        'ml.capture.reason': 'shutdown',
      });
  });

  it.each<[string, Record<string, string>, string, Record<string, unknown>]>([
    ['a malformed body', {}, '{"inputs": [1, 2', { 'ml.capture': 'skipped', 'ml.capture.reason': 'invalid_json' }],
    [
      'a body of the wrong shape',
      {},
      '{"inputs": {"x": "not a tensor list"}}',
      { 'ml.capture': 'skipped', 'ml.capture.reason': 'malformed_body' },
    ],
    [
      'a body over the capture limit',
      { INFERTRACE_CAPTURE_MAX_BYTES: '1KiB' },
      oip('x'.repeat(4000), 'big'),
      { 'ml.capture': 'skipped', 'ml.capture.reason': 'too_large' },
    ],
  ])('%s: forwarded whole, answered, the span says why nothing was captured', async (_name, env, body, expected) => {
    const { sidecar } = await start(env);
    try {
      const r = await send(sidecar, body);
      expect(r).toMatchObject({ status: 200, text: ANSWER });
      expect(received.at(-1)).toBe(Buffer.byteLength(body));
      expect(ml(await serverSpan(r.traceId))).toMatchObject(expected);
    } finally {
      await sidecar.close();
    }
  });

  it('a slow client sending its body over seconds is captured once the body is in', async () => {
    const { sidecar } = await start({});
    try {
      const body = Buffer.from(oip('slow', 'slow-1'));
      const traceId = 'b'.repeat(32);
      const url = new URL(`${sidecar.url}/v2/models/iris/infer`);
      const answer = await new Promise<string>((resolve, reject) => {
        const req = httpRequest(
          {
            host: url.hostname,
            port: url.port,
            path: url.pathname,
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'content-length': body.length,
              traceparent: `00-${traceId}-${'1'.repeat(16)}-01`,
            },
          },
          (res) => {
            let text = '';
            res.on('data', (c: Buffer) => (text += c.toString()));
            res.on('end', () => resolve(text));
          },
        );
        req.on('error', reject);
        const parts = 5;
        const size = Math.ceil(body.length / parts);
        let i = 0;
        const next = (): void => {
          req.write(body.subarray(i * size, (i + 1) * size));
          i += 1;
          if (i < parts) setTimeout(next, 400);
          else req.end();
        };
        next();
      });
      expect(answer).toBe(ANSWER);
      expect(ml(await serverSpan(traceId))).toMatchObject({ 'ml.capture': 'full', 'ml.request.id': 'slow-1' });
    } finally {
      await sidecar.close();
    }
  });
});

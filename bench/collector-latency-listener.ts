/**
 * Cost of the latency metrics listener per span, against a no-op listener in the same run.
 * Run: `npx tsx bench/collector-latency-listener.ts` (add `node --expose-gc --import tsx` for the
 * memory figure). Prints ns/span for 512-span batches in two streams:
 *  - sidecar mix: each inference is a SERVER span plus its CLIENT child (half the spans count);
 *  - all requests: every span is a SERVER span (the worst case).
 */
import { performance } from 'node:perf_hooks';
import { LatencyMetrics } from '../collector/metrics/latency/latency-metrics.js';
import type { SpanListener } from '../collector/storage/span-listener.js';
import { randomSpanId, randomTraceId } from '../shared/ids.js';
import type { SpanRecord } from '../shared/span-record.js';

const BATCH = 512;
const BATCHES = 200; // 102,400 spans per round
const ROUNDS = 7;
const NOW_MS = 1_750_000_000_000;
const MS = 1_000_000n;

let seed = 42;
function random(): number {
  seed = (seed * 1_103_515_245 + 12_345) >>> 0;
  return seed / 4_294_967_296;
}

function span(
  kind: SpanRecord['kind'],
  traceId: string,
  parent: string,
  startMs: number,
  durationMs: number,
  model: string,
  version: string,
): SpanRecord {
  const start = BigInt(Math.floor(startMs)) * MS;
  return {
    traceId,
    spanId: randomSpanId(),
    parentSpanId: parent,
    traceState: '',
    name: kind === 'SERVER' ? 'POST /v2/models/{model}/infer' : 'POST',
    kind,
    startTimeUnixNano: start,
    endTimeUnixNano: start + BigInt(Math.round(durationMs * 1e6)),
    attributes: { 'ml.model.name': model, 'ml.model.version': version, 'http.response.status_code': 200 },
    events: [],
    links: [],
    status: { code: random() < 0.02 ? 'ERROR' : 'UNSET', message: '' },
    flags: 1,
    serviceName: 'sidecar',
    resource: { 'service.name': 'sidecar' },
    scope: { name: 'bench', version: '0' },
  };
}

/**
 * Spans over the last 30 minutes in arrival order (with a few seconds of jitter, as batches from
 * many sidecars interleave), 4 models × 2 versions, log-normal-ish durations around 20 ms.
 */
function stream(mix: boolean): SpanRecord[][] {
  const spans: SpanRecord[] = [];
  const total = BATCH * BATCHES;
  while (spans.length < total) {
    const startMs = NOW_MS - 30 * 60_000 * (1 - spans.length / total) - 5_000 * random();
    const durationMs = 20 * Math.exp(random() * 2 - 1 + random() * random() * 3);
    const model = `model-${Math.floor(random() * 4)}`;
    const version = String(1 + Math.floor(random() * 2));
    const traceId = randomTraceId();
    const server = span('SERVER', traceId, '', startMs, durationMs, model, version);
    spans.push(server);
    if (mix) spans.push(span('CLIENT', traceId, server.spanId, startMs + 0.5, durationMs - 1, model, version));
  }
  const batches: SpanRecord[][] = [];
  for (let i = 0; i < BATCHES; i++) batches.push(spans.slice(i * BATCH, (i + 1) * BATCH));
  return batches;
}

let sink = 0;
const noop = (): SpanListener => ({
  name: 'noop',
  onSpans: (spans) => {
    sink ^= spans.length;
  },
});
const latency = (): SpanListener => new LatencyMetrics({}, () => NOW_MS);

function nsPerSpan(make: () => SpanListener, batches: SpanRecord[][]): number {
  const listener = make(); // fresh each round, so no span is seen twice
  const t0 = performance.now();
  for (const b of batches) listener.onSpans(b);
  return ((performance.now() - t0) * 1e6) / (BATCH * BATCHES);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const fmt = (xs: number[]): string => `${median(xs).toFixed(1)} (min ${Math.min(...xs).toFixed(1)})`;

for (const [label, mix] of [
  ['sidecar mix (SERVER+CLIENT)', true],
  ['all requests (SERVER only)', false],
] as const) {
  const batches = stream(mix);
  nsPerSpan(latency, batches); // warm up
  nsPerSpan(noop, batches);
  const base: number[] = [];
  const lat: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    base.push(nsPerSpan(noop, batches));
    lat.push(nsPerSpan(latency, batches));
  }
  const l = median(lat);
  console.log(
    `${label}: ns/span, median (min) of ${ROUNDS} rounds of ${BATCHES}×${BATCH}-span batches:\n` +
      `  no-op listener   ${fmt(base)}\n  latency listener ${fmt(lat)}  → added ${(l - median(base)).toFixed(1)} ns/span, ` +
      `${(1e3 / l).toFixed(2)} M spans/s on one core`,
  );
}

// Memory: per time bucket (one series, 1,440 one-minute buckets of 100 requests each), and the
// dedupe memory of recent span ids at its default capacity, measured apart.
const gc = (globalThis as { gc?: () => void }).gc;
const retained: unknown[] = []; // keeps what was built alive through the second collection
function heapDelta(build: () => unknown): number {
  (gc as () => void)();
  const before = process.memoryUsage().heapUsed;
  retained.push(build());
  (gc as () => void)();
  return process.memoryUsage().heapUsed - before;
}
if (gc) {
  const perMinute = Array.from({ length: 1440 }, (_, minute) =>
    Array.from({ length: 100 }, () =>
      span('SERVER', randomTraceId(), '', NOW_MS - minute * 60_000 - 1, 20 * Math.exp(random() * 3 - 1.5), 'm', '1'),
    ),
  );
  let buckets = 0;
  const sketchBytes = heapDelta(() => {
    const m = new LatencyMetrics({ dedupeCapacity: 2 }, () => NOW_MS);
    for (const batch of perMinute) m.onSpans(batch);
    buckets = m.stats().buckets;
    return m;
  });
  const ids = perMinute
    .flat()
    .slice(0, 65_536)
    .map((s) => s.spanId);
  const dedupeBytes = heapDelta(() => {
    const m = new LatencyMetrics({}, () => NOW_MS);
    for (const id of ids) (m as unknown as { recent: { add(id: string): boolean } }).recent.add(id);
    return m;
  });
  console.log(
    `memory: ${(sketchBytes / buckets / 1024).toFixed(2)} KiB per time bucket ` +
      `(${(sketchBytes / 1024 / 1024).toFixed(1)} MiB for one series busy every minute of 24 h); ` +
      `recent span ids (65,536, default): ${(dedupeBytes / 1024 / 1024).toFixed(1)} MiB beyond the ids themselves`,
  );
} else {
  console.log(
    'memory: run with `node --expose-gc --import tsx bench/collector-latency-listener.ts` for bytes per bucket',
  );
}
if (sink === -1) console.log(sink);

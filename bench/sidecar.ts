/**
 * Sidecar overhead, measured against its baselines in the same run (these machines are noisy).
 *   npx tsx bench/sidecar.ts [--duration 10] [--rate 1000] [--connections 32] [--rounds 2] [--capture off|on]
 *
 * Starts, each in its own process: the bundled example model, the sidecar in front of it
 * (`infertrace sidecar`, exporting every span over OTLP/HTTP to a sink process), and a plain
 * fastify + undici proxy with no tracing. Then, with autocannon:
 *  1. at a fixed offered rate (default 1,000 req/s): latency p50/p99 of the model called directly,
 *     through the plain proxy and through the sidecar; "added" is over the direct call;
 *  2. at full speed: requests per second of the plain proxy and of the sidecar, and their ratio
 *     (plus the sidecar sampling one trace in ten, to show what sampling buys).
 * Latencies are the exact per-response times autocannon reports (its own histogram rounds to 1 ms).
 * The fixed rate is offered evenly (see STAGGER); full speed uses --connections connections.
 * Payload capture is off by default (this measures tracing; bench/capture.ts measures capture).
 * Targets on a 2-core machine: added p99 ≤ 2 ms at 1,000 req/s; throughput ≥ 80 % of the plain proxy.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

interface AutocannonResult {
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
interface AutocannonInstance {
  on(event: 'response', fn: (client: unknown, status: number, bytes: number, ms: number) => void): void;
}
type Autocannon = ((opts: Record<string, unknown>, cb: (err: Error | null, r: AutocannonResult) => void) => AutocannonInstance);
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: { duration: { type: 'string', default: '10' }, rate: { type: 'string', default: '1000' }, connections: { type: 'string', default: '32' }, rounds: { type: 'string', default: '2' },
    capture: { type: 'string', default: 'off' } },
});
const DURATION = Number(values.duration);
const RATE = Number(values.rate);
const CONNECTIONS = Number(values.connections);
const WARMUP = Math.min(3, Math.max(1, Math.round(DURATION / 4)));
/** Full-speed runs alternate plain proxy and sidecar this many times; the best of each counts. */
const ROUNDS = Number(values.rounds);

const children: ChildProcess[] = [];
const pids = new Map<string, number>();

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); NaN elsewhere. */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return NaN;
  }
}

/** Spawns a TypeScript process and resolves with the URL it announces on a matching line. */
function start(args: string[], pattern: RegExp, env: Record<string, string> = {}): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (c: Buffer): void => {
      out += c.toString();
      const m = pattern.exec(out);
      if (m) {
        pids.set(m[1] as string, child.pid as number);
        resolve(m[1] as string);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}: ${out}`)));
  });
}

const BODY = JSON.stringify({ inputs: [{ name: 'features', shape: [1, 4], datatype: 'FP32', data: [0.3, 1.2, -0.5, 2.0] }] });

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number);
}

interface Run { rps: number; p50: number; p99: number; failures: number; cpuUsPerRequest: number }

/** One autocannon run; resolves with its results and every 2xx response time (ms). */
function cannon(opts: Record<string, unknown>, latencies: number[]): Promise<AutocannonResult> {
  return new Promise((resolve, reject) => {
    const instance = autocannon({
      url: opts['url'], method: 'POST', body: BODY, headers: { 'content-type': 'application/json' }, ...opts,
    }, (err, r) => (err ? reject(err) : resolve(r)));
    instance.on('response', (_c, status, _b, ms) => {
      if (status >= 200 && status < 300) latencies.push(ms);
    });
  });
}

/**
 * autocannon paces by the second: each connection sends its quota back to back when its second
 * starts. One client at 1,000 req/s would therefore offer bursts of 1,000 requests. To offer an even
 * rate, the benchmark runs STAGGER single-connection clients, each at rate/STAGGER req/s, started
 * 1000/STAGGER ms apart, so at most rate/STAGGER requests are offered in any such slice.
 */
const STAGGER = 50;

async function load(base: string, duration: number, rate?: number): Promise<Run> {
  const latencies: number[] = [];
  const url = `${base}/v2/models/example/infer`;
  const cpuBefore = cpuSeconds(pids.get(base));
  let results: AutocannonResult[];
  if (rate) {
    const perClient = Math.max(1, Math.round(rate / STAGGER));
    results = await Promise.all(Array.from({ length: STAGGER }, (_, i) => new Promise<AutocannonResult>((resolve, reject) => {
      setTimeout(() => cannon({ url, connections: 1, connectionRate: perClient, duration }, latencies).then(resolve, reject), (i * 1000) / STAGGER);
    })));
  } else {
    results = [await cannon({ url, connections: CONNECTIONS, duration }, latencies)];
  }
  latencies.sort((a, b) => a - b);
  const total = results.reduce((n, r) => n + r.requests.total, 0);
  const failures = results.reduce((n, r) => n + r.non2xx + r.errors + r.timeouts, 0);
  const cpuUsPerRequest = ((cpuSeconds(pids.get(base)) - cpuBefore) * 1e6) / Math.max(1, total);
  return { rps: total / duration, p50: percentile(latencies, 50), p99: percentile(latencies, 99), failures, cpuUsPerRequest };
}

async function measure(base: string, rate?: number): Promise<Run> {
  await load(base, WARMUP, rate); // JIT, connection pools and caches warm up first
  return load(base, DURATION, rate);
}

const f2 = (n: number): string => n.toFixed(2).padStart(8);
const sign = (n: number): string => `${n >= 0 ? '+' : ''}${n.toFixed(2)}`.padStart(9);

try {
  const servers = join('bench', 'sidecar-servers.ts');
  const ready = /READY (\S+)/;
  const [model, collector] = await Promise.all([start([servers, 'model'], ready), start([servers, 'sink'], ready)]);
  const sidecarEnv = (extra: Record<string, string>): Record<string, string> => ({
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${collector}/v1/traces`, OTEL_SERVICE_NAME: 'bench-model',
    INFERTRACE_CAPTURE: values.capture === 'on' ? 'true' : 'false', ...extra,
  });
  const sidecarArgs = [join('bin', 'infertrace.ts'), 'sidecar', '--upstream', model, '--listen', '127.0.0.1:0', '--admin-port', '0'];
  const announced = /infertrace sidecar: (http:\/\/\S+) →/;
  const [plain, sidecar, sampled] = await Promise.all([
    start([servers, 'plain-proxy', model], ready),
    start(sidecarArgs, announced, sidecarEnv({})),
    // The same sidecar keeping one trace in ten (OTEL_TRACES_SAMPLER_ARG=0.1): context still propagates.
    start(sidecarArgs, announced, sidecarEnv({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' })),
  ]);

  console.log(`Sidecar benchmark: ${DURATION} s per measurement after ${WARMUP} s warm-up, ${CONNECTIONS} connections, POST /v2/models/example/infer`);
  console.log(`Every span exported (sampling 1.0, OTLP/HTTP JSON to a discarding sink); payload capture ${values.capture === 'on' ? 'on' : 'off'}`);
  console.log(`\n1) Fixed offered rate: ${RATE} req/s (latency in ms; added = over calling the model directly)`);
  console.log('   target          req/s    p50 ms   p99 ms  added p50  added p99  failed');
  const direct = await measure(model, RATE);
  const plainFixed = await measure(plain, RATE);
  const sidecarFixed = await measure(sidecar, RATE);
  for (const [name, r] of [['model direct', direct], ['plain proxy', plainFixed], ['sidecar', sidecarFixed]] as const) {
    const added = name === 'model direct' ? ['        -', '        -'] : [sign(r.p50 - direct.p50), sign(r.p99 - direct.p99)];
    console.log(`   ${name.padEnd(13)} ${r.rps.toFixed(0).padStart(7)} ${f2(r.p50)} ${f2(r.p99)}  ${added[0]}  ${added[1]}  ${String(r.failures).padStart(6)}`);
  }

  console.log('\n2) Full speed (throughput; ratio = sidecar / plain proxy; alternated, best of ROUNDS each)');
  console.log('   target          req/s    p50 ms   p99 ms  failed  CPU µs/request (proxy process)');
  const best = (a: Run | undefined, b: Run): Run => (a === undefined || b.rps > a.rps ? b : a);
  let plainMax: Run | undefined;
  let sidecarMax: Run | undefined;
  let sampledMax: Run | undefined;
  for (let round = 0; round < ROUNDS; round++) {
    plainMax = best(plainMax, await measure(plain));
    sidecarMax = best(sidecarMax, await measure(sidecar));
    sampledMax = best(sampledMax, await measure(sampled));
  }
  for (const [name, r] of [['plain proxy', plainMax as Run], ['sidecar', sidecarMax as Run], ['sidecar 10%', sampledMax as Run]] as const) {
    console.log(`   ${name.padEnd(13)} ${r.rps.toFixed(0).padStart(7)} ${f2(r.p50)} ${f2(r.p99)}  ${String(r.failures).padStart(6)}  ${r.cpuUsPerRequest.toFixed(0).padStart(8)}`);
  }
  const ratio = (sidecarMax as Run).rps / (plainMax as Run).rps;
  console.log(`   (sidecar 10% = one trace in ten sampled: ${(((sampledMax as Run).rps / (plainMax as Run).rps) * 100).toFixed(1)} % of the plain proxy)`);
  const addedP99 = sidecarFixed.p99 - direct.p99;
  console.log(`\nSummary: added p99 at ${RATE} req/s = ${addedP99.toFixed(2)} ms (target ≤ 2 ms: ${addedP99 <= 2 ? 'met' : 'missed'}); `
    + `throughput = ${(ratio * 100).toFixed(1)} % of the plain proxy (target ≥ 80 %: ${ratio >= 0.8 ? 'met' : 'missed'})`);
} finally {
  for (const c of children) c.kill('SIGTERM');
}

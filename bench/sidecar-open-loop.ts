/**
 * The sidecar as a client sees it (issue 14), against its baselines in the same run:
 *   npm run bench:sidecar-open-loop -- [--duration 8] [--rate 1000] [--image-rate 50] [--connections 32]
 *     [--payloads 'small 1×20,capture bench'] (default: all four)
 *
 * Each target in its own process: the model (bench/sidecar-servers.ts), nginx in front of it
 * (bench/nginx.ts), and the sidecar with tracing off (sampler always_off), exporting with capture
 * off, capturing on its event loop (--capture-workers 0, the old way), capturing in a thread (the
 * default), and the same without the PII scan; all export to a discarding sink.
 *  1. fixed offered rate, open loop (bench/open-loop.ts): each request timed from its scheduled
 *     send time; p50/p99/p99.9/max, added p99 over the model called directly, the sidecar's CPU per
 *     request (all its threads, /proc) and its event-loop delay over the phase (admin /metrics);
 *  2. full speed, --connections connections: req/s and the ratio to nginx.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startNginx } from './nginx.js';
import { fullSpeed, openLoop, percentile, type Target } from './open-loop.js';
import { payloads, type Payload } from './open-loop-payloads.js';
import { HMAC_KEY, RULES } from './sidecar-payload.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '8' },
    rate: { type: 'string', default: '1000' },
    'image-rate': { type: 'string', default: '50' },
    connections: { type: 'string', default: '32' },
    payloads: { type: 'string' },
  },
});
const DURATION = Number(values.duration);
const CONNECTIONS = Number(values.connections);
const WARMUP = 2;
const chosen = (p: Payload): boolean => !values.payloads || values.payloads.split(',').includes(p.name);

const children: ChildProcess[] = [];

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime of every thread
}

/**
 * Waits until `pids` are idle (under 5 % of a core each over 250 ms), at most `maxS` seconds: a
 * target that fell behind in its phase (capture on the loop with images) would otherwise keep
 * working through the next phases and slow them.
 */
async function quiet(pids: number[], maxS = 120): Promise<void> {
  const deadline = Date.now() + maxS * 1000;
  while (Date.now() < deadline) {
    const before = pids.map(cpuSeconds);
    await new Promise((r) => setTimeout(r, 250));
    if (pids.every((pid, i) => cpuSeconds(pid) - (before[i] as number) < 0.0125)) return;
  }
}

interface Proc {
  url: string;
  admin?: string;
  pid: number;
}

function start(args: string[], env: Record<string, string> = {}): Promise<Proc> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (c: Buffer): void => {
      out += c.toString();
      const ready = /READY (\S+)/.exec(out);
      const sidecar = /infertrace sidecar: (http:\/\/\S+) → \S+; admin (http:\/\/\S+);/.exec(out);
      if (ready) resolve({ url: ready[1] as string, pid: child.pid as number });
      else if (sidecar) resolve({ url: sidecar[1] as string, admin: sidecar[2] as string, pid: child.pid as number });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}: ${out}`)));
  });
}

/** Scrapes the sidecar's /metrics: event-loop delay since the last scrape, capture shed so far. */
async function scrape(admin: string | undefined): Promise<{ loopP99: number; loopMax: number; shed: number }> {
  if (!admin) return { loopP99: NaN, loopMax: NaN, shed: NaN };
  const text = await (await fetch(`${admin}/metrics`)).text();
  const num = (re: RegExp): number => Number(re.exec(text)?.[1] ?? NaN);
  return {
    loopP99: num(/event_loop_delay_seconds\{quantile="0.99"\} (\S+)/) * 1000,
    loopMax: num(/event_loop_delay_seconds\{quantile="1"\} (\S+)/) * 1000,
    shed: num(/^\S*capture_shed_total (\S+)$/m),
  };
}

interface Fixed {
  p50: number;
  p99: number;
  p999: number;
  max: number;
  failed: number;
  cpuUs: number;
  loopP99: number;
  loopMax: number;
  shed: number;
}

async function fixed(p: Proc, payload: Payload, all: number[]): Promise<Fixed> {
  const t: Target = { base: p.url, path: payload.path, body: payload.body };
  await quiet(all);
  await openLoop(t, payload.rate, WARMUP);
  const before = await scrape(p.admin);
  const cpu = cpuSeconds(p.pid);
  const r = await openLoop(t, payload.rate, DURATION);
  const cpuUs = ((cpuSeconds(p.pid) - cpu) * 1e6) / Math.max(1, r.ok);
  const after = await scrape(p.admin);
  const l = r.latencies;
  return {
    p50: percentile(l, 50),
    p99: percentile(l, 99),
    p999: percentile(l, 99.9),
    max: l[l.length - 1] ?? NaN,
    failed: r.failed,
    cpuUs,
    loopP99: after.loopP99,
    loopMax: after.loopMax,
    shed: after.shed - before.shed,
  };
}

const f = (n: number, w = 8, d = 2): string => (Number.isNaN(n) ? '-' : n.toFixed(d)).padStart(w);

const dir = mkdtempSync(join(tmpdir(), 'infertrace-bench-'));
let stopNginx = (): void => undefined;
const cleanUp = (): void => {
  stopNginx();
  for (const c of children) c.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
};
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    cleanUp();
    process.exit(130);
  });
try {
  const servers = join('bench', 'sidecar-servers.ts');
  const [model, sink] = await Promise.all([start([servers, 'model']), start([servers, 'sink'])]);
  const nginx = await startNginx(model.url);
  stopNginx = nginx.stop;
  writeFileSync(join(dir, 'rules.yaml'), RULES);
  writeFileSync(join(dir, 'rules-no-scan.yaml'), `${RULES}\npii: { action: off }\n`);
  const sidecar = (env: Record<string, string>): Promise<Proc> =>
    start(
      [
        join('bin', 'infertrace.ts'),
        'sidecar',
        '--upstream',
        model.url,
        '--listen',
        '127.0.0.1:0',
        '--admin-port',
        '0',
      ],
      {
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${sink.url}/v1/traces`,
        OTEL_SERVICE_NAME: 'bench-model',
        INFERTRACE_HMAC_KEY: HMAC_KEY,
        INFERTRACE_CAPTURE_RULES: join(dir, 'rules.yaml'),
        ...env,
      },
    );
  const targets: [string, Proc][] = [
    ['model direct', model],
    ['nginx', { url: nginx.url, pid: nginx.pid }],
    ['tracing off', await sidecar({ OTEL_TRACES_SAMPLER: 'always_off', INFERTRACE_CAPTURE: 'false' })],
    ['capture off', await sidecar({ INFERTRACE_CAPTURE: 'false' })],
    ['capture on loop', await sidecar({ INFERTRACE_CAPTURE_WORKERS: '0' })],
    ['capture thread', await sidecar({})],
    ['thread, no scan', await sidecar({ INFERTRACE_CAPTURE_RULES: join(dir, 'rules-no-scan.yaml') })],
  ];
  const allPids = [...targets.map(([, p]) => p.pid), sink.pid];
  console.log(
    `Sidecar open-loop benchmark: ${DURATION} s per phase after ${WARMUP} s warm-up; every span exported to a sink; ` +
      `capture with the capture bench's rules (drop, mask, pseudonymise, generalise, PII scan)`,
  );
  console.log('"capture on loop" = capture on the proxy event loop (--capture-workers 0, as before issue 14)');
  for (const payload of payloads(Number(values.rate), Number(values['image-rate'])).filter(chosen)) {
    console.log(
      `\n${payload.name}: POST ${payload.path}, ${payload.body.length} B, ${payload.rate} req/s offered, open loop (ms from scheduled send); load average ${loadavg()[0]?.toFixed(1)}`,
    );
    console.log(
      '   target              p50      p99    p99.9      max  +p99 direct  failed  CPU µs/req  loop p99  loop max  shed',
    );
    const rows = new Map<string, Fixed>();
    for (const [name, p] of targets) {
      const r = await fixed(p, payload, allPids);
      rows.set(name, r);
      const direct = rows.get('model direct') as Fixed;
      console.log(
        `   ${name.padEnd(16)} ${f(r.p50)} ${f(r.p99)} ${f(r.p999)} ${f(r.max)} ${f(r.p99 - direct.p99, 12)} ${String(r.failed).padStart(7)} ${f(r.cpuUs, 11, 0)} ${f(r.loopP99, 9)} ${f(r.loopMax, 9)} ${String(Number.isNaN(r.shed) ? '-' : r.shed).padStart(5)}`,
      );
    }
    const off = rows.get('capture off') as Fixed;
    const cap = rows.get('capture thread') as Fixed;
    const noScan = rows.get('thread, no scan') as Fixed;
    const loop = rows.get('capture on loop') as Fixed;
    console.log(
      `   capture CPU per request (all threads, minus capture off): in a thread ${(cap.cpuUs - off.cpuUs).toFixed(0)} µs, ` +
        `on the loop ${(loop.cpuUs - off.cpuUs).toFixed(0)} µs; PII scan on/off = ${((cap.cpuUs - off.cpuUs) / (noScan.cpuUs - off.cpuUs)).toFixed(2)}; ` +
        `added p99 capture thread over capture off ${(cap.p99 - off.p99).toFixed(2)} ms`,
    );
  }
  const speedPayloads = payloads(0, 0).filter(
    (p) => chosen(p) && (p.name === 'small 1×20' || p.name === 'capture bench'),
  );
  for (const payload of speedPayloads) {
    console.log(`\nfull speed, ${CONNECTIONS} connections, ${payload.name}`);
    const rps = new Map<string, number>();
    for (const [name, p] of targets.slice(1)) {
      const t: Target = { base: p.url, path: payload.path, body: payload.body };
      await quiet(allPids);
      await fullSpeed(t, WARMUP, CONNECTIONS);
      const shedBefore = (await scrape(p.admin)).shed;
      const r = await fullSpeed(t, DURATION, CONNECTIONS);
      rps.set(name, r.rps);
      const ng = rps.get('nginx') as number;
      // Captures shed because the threads were behind: throughput with them is not all captured.
      const shed = ((await scrape(p.admin)).shed - shedBefore) / Math.max(1, r.rps * DURATION);
      console.log(
        `   ${name.padEnd(16)} ${r.rps.toFixed(0).padStart(7)} req/s  ${(r.rps / ng).toFixed(2)} × nginx  failed ${r.failed}` +
          (Number.isNaN(shed) ? '' : `  shed ${(shed * 100).toFixed(1)} %`),
      );
    }
    const ratio = (rps.get('capture thread') as number) / (rps.get('capture off') as number);
    const old = (rps.get('capture on loop') as number) / (rps.get('capture off') as number);
    console.log(
      `   capture on / capture off: ${(ratio * 100).toFixed(1)} % in a thread, ${(old * 100).toFixed(1)} % on the loop`,
    );
  }
} finally {
  cleanUp();
}

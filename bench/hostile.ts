/**
 * Hostile input and pressure against a real collector process: valid OTLP traffic (4 senders,
 * 100-span JSON batches) alone, then the same traffic while 16 hostile senders post mutated bodies
 * and the known bad cases (gzip bodies inflating to millions of values, wide protobuf, JSON nested
 * a million deep). Prints the valid throughput during against alone, /healthz p99 in both, the
 * hostile answers by status, and the collector's peak RSS. Then the retention run: ingest at full
 * rate against --max-db-size, printing the file (and WAL) size against the cap over time.
 * Targets (issue 16): peak RSS ≤ 512 MB, /healthz p99 ≤ 1 s, valid ≥ 80 % of alone, file ≤ 1.2 × cap + WAL.
 *
 *   node --import tsx bench/hostile.ts [--seconds 15] [--cap-mib 20] [--only pressure|retention] [--cpu-prof DIR]
 *
 * --cpu-prof DIR writes a V8 CPU profile of each collector process into DIR (open it in Chrome's
 * DevTools or speedscope) to see where the event loop goes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const arg = (name: string, fallback: number): number =>
  Number(process.argv[process.argv.indexOf(`--${name}`) + 1]) || fallback;
const SECONDS = arg('seconds', 15);
const CAP_MIB = arg('cap-mib', 20);
const option = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const ONLY = option('only');
const PROFILE_DIR = option('cpu-prof');
const MiB = 1024 * 1024;

interface Collector {
  child: ChildProcess;
  url: string;
  pid: number;
}

async function startCollector(args: string[]): Promise<Collector> {
  const child = spawn(
    process.execPath,
    [
      ...(PROFILE_DIR !== undefined ? ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR] : []),
      '--import',
      'tsx',
      'bin/infertrace.ts',
      'collector',
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--log-level',
      'error',
      ...args,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(out);
      if (m) resolve(m[1] as string);
    });
    child.on('exit', (code) => reject(new Error(`collector exited ${code}`)));
  });
  return { child, url, pid: child.pid as number };
}

const stop = async (c: Collector): Promise<void> => {
  c.child.kill('SIGTERM');
  await new Promise((r) => c.child.once('exit', r));
};
const peakRss = (pid: number): number =>
  Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) * 1024;
const hex = (n: number): string =>
  Array.from({ length: n }, () => Math.floor(Math.random() * 16).toString(16)).join('');

let counter = 0;
/** A valid OTLP/JSON batch with fresh ids (a counter: random ids cost more than the post). */
function validBody(spans = 100): Buffer {
  const now = BigInt(Date.now()) * 1_000_000n;
  const prefix = hex(16);
  const list = Array.from({ length: spans }, () => ({
    traceId: `${prefix}${(++counter).toString(16).padStart(16, '0')}`,
    spanId: (counter + 0x1000).toString(16).padStart(16, '0'),
    name: 'predict',
    kind: 2,
    startTimeUnixNano: String(now),
    endTimeUnixNano: String(now + 5_000_000n),
    attributes: [
      { key: 'ml.request.id', value: { stringValue: `req-${counter}` } },
      { key: 'ml.model.name', value: { stringValue: 'iris' } },
    ],
  }));
  return Buffer.from(
    JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'bench' } }] },
          scopeSpans: [{ scope: { name: 'bench' }, spans: list }],
        },
      ],
    }),
  );
}

const objects = (prefix: string, bytes: number, suffix: string): Buffer =>
  gzipSync(Buffer.from(`${prefix}${'{},'.repeat(bytes / 3)}{}${suffix}`));
const HOSTILE: { name: string; path: string; type: string; gzip: boolean; body: Buffer }[] = [
  {
    name: 'zipkin 30 MiB of {}',
    path: '/api/v2/spans',
    type: 'application/json',
    gzip: true,
    body: objects('[', 30 * MiB, ']'),
  },
  {
    name: 'otlp json 30 MiB of {}',
    path: '/v1/traces',
    type: 'application/json',
    gzip: true,
    body: objects('{"resourceSpans":[{"scopeSpans":[{"spans":[', 30 * MiB, ']}]}]}'),
  },
  {
    name: 'protobuf 5M empty attributes',
    path: '/v1/traces',
    type: 'application/x-protobuf',
    gzip: true,
    body: gzipSync(wideProtobuf(5_000_000)),
  },
  {
    name: 'json 1M deep',
    path: '/api/v2/spans',
    type: 'application/json',
    gzip: true,
    body: gzipSync(Buffer.from(`${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`)),
  },
];

/** ExportTraceServiceRequest { resource_spans { scope_spans { spans { attributes × n (empty) } } } }. */
function wideProtobuf(n: number): Buffer {
  const span = Buffer.alloc(n * 2);
  for (let i = 0; i < span.length; i += 2) span[i] = 0x4a;
  const len = (field: number, inner: Buffer): Buffer => {
    const v: number[] = [];
    let x = inner.length;
    while (x > 0x7f) {
      v.push((x & 0x7f) | 0x80);
      x >>>= 7;
    }
    v.push(x);
    return Buffer.concat([Buffer.from([(field << 3) | 2, ...v]), inner]);
  };
  return len(1, len(2, len(2, span)));
}

function mutate(body: Buffer): Buffer {
  const out = Buffer.from(body);
  const kind = Math.random();
  if (kind < 0.3) return out.subarray(0, Math.floor(Math.random() * out.length));
  for (let i = 0; i < 1 + Math.random() * 20; i++)
    out[Math.floor(Math.random() * out.length)] = Math.floor(Math.random() * 256);
  return out;
}

async function post(url: string, path: string, type: string, body: Buffer, gzip = false): Promise<number> {
  try {
    const res = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': type, ...(gzip ? { 'content-encoding': 'gzip' } : {}) },
      body,
    });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

const p99 = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.99)] ?? NaN;

async function phase(
  c: Collector,
  hostile: boolean,
): Promise<{ rate: number; healthP99: number; statuses: Map<number, number> }> {
  const end = Date.now() + SECONDS * 1000;
  let valid = 0;
  const health: number[] = [];
  const statuses = new Map<number, number>();
  const senders = Array.from({ length: 4 }, async () => {
    while (Date.now() < end) if ((await post(c.url, '/v1/traces', 'application/json', validBody())) === 200) valid++;
  });
  const poller = (async () => {
    while (Date.now() < end) {
      const t = performance.now();
      await fetch(`${c.url}/healthz`)
        .then((r) => r.arrayBuffer())
        .catch(() => undefined);
      health.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const attackers = hostile
    ? Array.from({ length: 16 }, async (_, i) => {
        const seed = validBody(20);
        while (Date.now() < end) {
          const h = HOSTILE[Math.floor(Math.random() * HOSTILE.length)] as (typeof HOSTILE)[number];
          const status =
            i % 2 === 0
              ? await post(c.url, h.path, h.type, h.body, h.gzip)
              : await post(
                  c.url,
                  Math.random() < 0.5 ? '/v1/traces' : '/api/v2/spans',
                  'application/json',
                  mutate(seed),
                );
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }
      })
    : [];
  await Promise.all([...senders, poller, ...attackers]);
  return { rate: valid / SECONDS, healthP99: p99(health), statuses };
}

async function pressure(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hostile-'));
  const c = await startCollector(['--db', join(dir, 'spans.db')]);
  try {
    const alone = await phase(c, false);
    const during = await phase(c, true);
    console.log(
      `valid batches/s: alone ${alone.rate.toFixed(1)}, during hostile ${during.rate.toFixed(1)} (${((100 * during.rate) / alone.rate).toFixed(0)} %; target ≥ 80 %)`,
    );
    console.log(
      `/healthz p99: alone ${alone.healthP99.toFixed(1)} ms, during ${during.healthP99.toFixed(1)} ms (target ≤ 1000 ms)`,
    );
    console.log(
      `hostile answers by status: ${[...during.statuses]
        .sort()
        .map(([s, n]) => `${s}: ${n}`)
        .join(', ')}`,
    );
    console.log(
      `collector peak RSS: ${(peakRss(c.pid) / MiB).toFixed(0)} MiB (target ≤ 512 MiB); alive: ${c.child.exitCode === null}`,
    );
  } finally {
    await stop(c);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function retention(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hostile-ret-'));
  const db = join(dir, 'spans.db');
  const c = await startCollector(['--db', db, '--max-db-size', `${CAP_MIB}MiB`]);
  const size = (p: string): number => (existsSync(p) ? statSync(p).size : 0);
  try {
    const end = Date.now() + SECONDS * 2000;
    let spans = 0;
    const senders = Array.from({ length: 4 }, async () => {
      while (Date.now() < end)
        if ((await post(c.url, '/v1/traces', 'application/json', validBody(500))) === 200) spans += 500;
    });
    let maxFile = 0;
    let maxWal = 0;
    let maxTotal = 0;
    const sampler = (async () => {
      const start = Date.now();
      while (Date.now() < end) {
        await new Promise((r) => setTimeout(r, 1000));
        const f = size(db);
        const w = size(`${db}-wal`);
        maxFile = Math.max(maxFile, f);
        maxWal = Math.max(maxWal, w);
        maxTotal = Math.max(maxTotal, f + w);
        console.log(
          `  t=${((Date.now() - start) / 1000).toFixed(0)}s spans=${spans} file=${(f / MiB).toFixed(1)} MiB wal=${(size(`${db}-wal`) / MiB).toFixed(1)} MiB (cap ${CAP_MIB} MiB)`,
        );
      }
    })();
    await Promise.all([...senders, sampler]);
    await new Promise((r) => setTimeout(r, 6000));
    const mib = (n: number): string => `${(n / MiB).toFixed(1)} MiB`;
    console.log(
      `retention: ${(spans / (SECONDS * 2)).toFixed(0)} spans/s ingested; file max ${mib(maxFile)} (${(maxFile / (CAP_MIB * MiB)).toFixed(2)} × cap), WAL max ${mib(maxWal)}, file + WAL max ${mib(maxTotal)}; after settling ${mib(size(db))} + WAL ${mib(size(`${db}-wal`))}; cap ${CAP_MIB} MiB (target: file ≤ ${(1.2 * CAP_MIB).toFixed(0)} MiB, WAL ≤ its 64 MiB limit)`,
    );
  } finally {
    await stop(c);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (ONLY !== 'retention') await pressure();
if (ONLY !== 'pressure') await retention();

import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ML } from '../../../shared/attribute-keys.js';
import type { Attributes } from '../../../shared/span-record.js';
import { withEncodedAttributes } from '../../telemetry/pre-encoded-attributes.js';
import type { CaptureJob, CaptureReply, CaptureThreadData } from './capture-job.js';

export interface CaptureThreadsOptions {
  /** Threads capturing in parallel (at least 1). */
  threads: number;
  /** Exchanges sent and not yet captured, at most; past it (or `maxBytes`) capture is shed. */
  maxQueued: number;
  /** Body bytes sent and not yet captured, at most. */
  maxBytes: number;
  /** The capture settings' source (capture-settings.ts captureSettingsSource). */
  source: Readonly<Record<string, string>>;
  /** Features come back as OTLP/protobuf bytes (only for an exporter that writes them: otlp-proto.ts). */
  encodeFeatures?: boolean;
  /** The thread's script; tests give one that can be made to fail. */
  script?: URL;
}

export interface CaptureThreadStats {
  threads: number;
  queued: number;
  queuedBytes: number;
  /** Exchanges not captured because the threads were behind (`ml.capture.reason=overloaded`). */
  shed: number;
  /** Threads that died and were replaced. */
  restarts: number;
}

interface Pending {
  resolve: (attrs: Attributes) => void;
  bytes: number;
}

interface Thread {
  worker: Worker;
  pending: Map<number, Pending>;
  /** Jobs waiting to be posted together (one message, one wake-up of each thread per batch). */
  outbox: CaptureJob[];
  outboxBytes: number;
  transfer: ArrayBuffer[];
  timer: NodeJS.Timeout | undefined;
}

/**
 * How long jobs wait to be posted as one message. A message costs both threads a wake-up: a worker
 * echoing jobs at 1,000 a second cost about 60 µs of CPU per single-job message, against 27 µs a
 * job in messages of five. Only the SERVER span's end waits, never a response.
 */
const BATCH_MS = 4;
/** A batch this large is posted at once. */
const BATCH_JOBS = 64;
const BATCH_BYTES = 1024 * 1024;

function flush(thread: Thread): void {
  if (thread.timer) clearTimeout(thread.timer);
  thread.timer = undefined;
  if (thread.outbox.length === 0) return;
  const jobs = thread.outbox;
  const transfer = thread.transfer;
  thread.outbox = [];
  thread.outboxBytes = 0;
  thread.transfer = [];
  thread.worker.postMessage(jobs, transfer);
}

const failed = (reason: string): Attributes => ({ [ML.capture]: 'skipped', [ML.captureReason]: reason });

/** The thread script beside this file (TypeScript when running from sources: tests, tsx). */
const DEFAULT_SCRIPT = new URL(
  import.meta.url.endsWith('.ts') ? './capture-thread.ts' : './capture-thread.js',
  import.meta.url,
);

/**
 * A thread running `script`; a TypeScript script is loaded through tsx's loader, registered in the
 * thread first (a worker's `--import` does not reliably apply to its entry point on Node 20).
 */
function startThread(script: URL, data: CaptureThreadData): Worker {
  if (!script.pathname.endsWith('.ts')) return new Worker(script, { workerData: data });
  const api = new URL(
    'dist/esm/api/index.mjs',
    pathToFileURL(createRequire(import.meta.url).resolve('tsx/package.json')),
  ).href;
  const code = `import(${JSON.stringify(api)}).then((t) => { t.register(); return import(${JSON.stringify(script.href)}); })`;
  return new Worker(code, { eval: true, workerData: data });
}

/**
 * Capture threads fed by a bounded queue of transferred body buffers. `submit` never waits and
 * never holds a request: it answers at once with `overloaded` when the queue is full, and a thread
 * that dies answers its exchanges with `worker_crashed` and is replaced.
 */
export class CaptureThreads {
  private readonly threads: Thread[] = [];
  private nextId = 1;
  private queued = 0;
  private queuedBytes = 0;
  private shed = 0;
  private restarts = 0;
  private closed = false;
  private idle: (() => void)[] = [];

  constructor(private readonly options: CaptureThreadsOptions) {
    for (let i = 0; i < Math.max(1, options.threads); i++) this.threads.push(this.spawn());
  }

  private spawn(): Thread {
    const worker = startThread(this.options.script ?? DEFAULT_SCRIPT, {
      source: this.options.source,
      encodeFeatures: this.options.encodeFeatures ?? false,
    });
    const thread: Thread = { worker, pending: new Map(), outbox: [], outboxBytes: 0, transfer: [], timer: undefined };
    worker.unref();
    worker.on('message', (replies: CaptureReply[]) => {
      for (const r of replies)
        this.settle(thread, r.id, r.encoded ? withEncodedAttributes(r.attrs, r.encoded) : r.attrs);
    });
    worker.on('error', () => undefined); // the exit that follows says it all
    worker.on('exit', () => this.replace(thread));
    return thread;
  }

  private settle(thread: Thread, id: number, attrs: Attributes): void {
    const p = thread.pending.get(id);
    if (!p) return;
    thread.pending.delete(id);
    this.queued -= 1;
    this.queuedBytes -= p.bytes;
    p.resolve(attrs);
    if (this.queued === 0) for (const done of this.idle.splice(0)) done();
  }

  private replace(thread: Thread): void {
    clearTimeout(thread.timer);
    for (const id of [...thread.pending.keys()]) this.settle(thread, id, failed('worker_crashed'));
    const i = this.threads.indexOf(thread);
    if (i === -1 || this.closed) return;
    this.restarts += 1;
    this.threads[i] = this.spawn();
  }

  /** Sends an exchange to the least busy thread; the promise carries the SERVER span's attributes. */
  submit(job: Omit<CaptureJob, 'id'>): Promise<Attributes> {
    const bytes = (job.request.bytes?.length ?? 0) + (job.response?.bytes?.length ?? 0);
    if (this.closed || this.queued >= this.options.maxQueued || this.queuedBytes + bytes > this.options.maxBytes) {
      this.shed += 1;
      return Promise.resolve(failed('overloaded'));
    }
    let thread = this.threads[0] as Thread;
    for (const t of this.threads) if (t.pending.size < thread.pending.size) thread = t;
    const id = this.nextId++;
    for (const b of [job.request.bytes, job.response?.bytes]) if (b) thread.transfer.push(b.buffer as ArrayBuffer);
    thread.outbox.push({ ...job, id });
    thread.outboxBytes += bytes;
    if (thread.outbox.length >= BATCH_JOBS || thread.outboxBytes >= BATCH_BYTES) flush(thread);
    else thread.timer ??= setTimeout(flush, BATCH_MS, thread).unref();
    return new Promise<Attributes>((resolve) => {
      thread.pending.set(id, { resolve, bytes });
      this.queued += 1;
      this.queuedBytes += bytes;
    });
  }

  stats(): CaptureThreadStats {
    return {
      threads: this.threads.length,
      queued: this.queued,
      queuedBytes: this.queuedBytes,
      shed: this.shed,
      restarts: this.restarts,
    };
  }

  /** Resolves once every exchange sent is captured, or after `timeoutMs`. */
  drain(timeoutMs: number): Promise<void> {
    if (this.queued === 0) return Promise.resolve();
    for (const t of this.threads) flush(t);
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.idle.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Stops the threads; exchanges still queued end with `shutdown` (their spans still end). */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.threads) clearTimeout(t.timer);
    for (const t of this.threads) for (const id of [...t.pending.keys()]) this.settle(t, id, failed('shutdown'));
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }

  /** For the fault tests: the threads' ids, to see one replaced. */
  threadIds(): number[] {
    return this.threads.map((t) => t.worker.threadId);
  }
}

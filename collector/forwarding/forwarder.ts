import type { Dispatcher } from 'undici';
import { request } from 'undici';
import type { Destination } from './destination.js';
import { requestBody } from './destination.js';
import type { Outbox, OutboxRow } from './outbox.js';
import type { BackoffOptions } from './retry-policy.js';
import { classify, parseRetryAfter, retryDelayMs } from './retry-policy.js';

/**
 * Sends one destination's lane of the outbox, oldest first, one batch at a time, until stopped.
 * Delivered and refused batches leave the outbox; anything else waits there and is tried again
 * after Retry-After or a jittered backoff. Ingest only ever adds rows, so a slow or dead
 * destination never slows it down. Each kind of trouble is logged once when it starts (and once
 * when delivery resumes), not once per attempt.
 */
export interface ForwardLog {
  info(message: string): void;
  warn(message: string): void;
}

export interface ForwarderOptions {
  /** Spans per request, at most (a single larger fragment is still sent whole). */
  batchSpans: number;
  /** Give up on an attempt after this many ms (it is retried). */
  timeoutMs: number;
  backoff: BackoffOptions;
  dispatcher?: Dispatcher;
  log?: ForwardLog;
  now?: () => number;
  random?: () => number;
}

export interface DestinationStats {
  destination: string;
  kind: Destination['kind'];
  url: string;
  pendingSpans: number;
  sentSpans: number;
  sentRequests: number;
  failedAttempts: number;
  droppedSpans: { outboxFull: number; rejected: number };
  /** Failed attempts in a row (0 while delivering). */
  consecutiveFailures: number;
  lastError: string | null;
  nextAttemptAt: string | null;
  oldestPendingAt: string | null;
}

const silent: ForwardLog = { info: () => {}, warn: () => {} };
const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());

export class Forwarder {
  private readonly log: ForwardLog;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly counts = { sentSpans: 0, sentRequests: 0, failedAttempts: 0, outboxFull: 0, rejected: 0 };
  private failures = 0;
  private lastError: string | null = null;
  private pausedUntil = 0;
  private rejectLogged = false;
  private fullLogged = false;
  private stopped = true;
  private running: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private wakeable = false;
  private readonly abort = new AbortController();

  constructor(
    readonly destination: Destination,
    private readonly outbox: Outbox,
    private readonly options: ForwarderOptions,
  ) {
    this.log = options.log ?? silent;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.running = this.loop();
  }

  /** New rows were added: an idle sender starts at once (one waiting out a backoff does not). */
  wake(): void {
    if (this.wakeable) this.wakeUp?.();
  }

  /** Spans the outbox dropped from this lane to stay within its bound. */
  noteDropped(spans: number): void {
    if (spans <= 0) return;
    this.counts.outboxFull += spans;
    if (!this.fullLogged) {
      this.fullLogged = true;
      this.log.warn(
        `forwarding to ${this.destination.url}: its outbox is full, so the oldest waiting spans are dropped (${spans} now); the count is in /api/export/status`,
      );
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.abort.abort();
    this.wakeUp?.();
    await this.running;
  }

  stats(): DestinationStats {
    const key = this.destination.key;
    return {
      destination: key,
      kind: this.destination.kind,
      url: this.destination.url,
      pendingSpans: this.outbox.pendingSpans(key),
      sentSpans: this.counts.sentSpans,
      sentRequests: this.counts.sentRequests,
      failedAttempts: this.counts.failedAttempts,
      droppedSpans: { outboxFull: this.counts.outboxFull, rejected: this.counts.rejected },
      consecutiveFailures: this.failures,
      lastError: this.lastError,
      nextAttemptAt: this.pausedUntil > this.now() ? iso(this.pausedUntil) : null,
      oldestPendingAt: iso(this.outbox.oldestMs(key)),
    };
  }

  private sleep(ms: number, wakeable: boolean): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        this.wakeable = false;
        resolve();
      };
      const timer = Number.isFinite(ms) ? setTimeout(done, ms) : undefined;
      timer?.unref();
      this.wakeUp = done;
      this.wakeable = wakeable;
    });
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const wait = this.pausedUntil - this.now();
      if (wait > 0) {
        await this.sleep(wait, false);
        continue;
      }
      const rows = this.outbox.take(this.destination.key, this.options.batchSpans);
      if (rows.length === 0) {
        await this.sleep(Infinity, true);
        continue;
      }
      await this.deliver(rows);
    }
  }

  private async deliver(rows: OutboxRow[]): Promise<void> {
    const key = this.destination.key;
    const spans = rows.reduce((n, r) => n + r.spanCount, 0);
    let status: number | undefined;
    let retryAfter: string | string[] | undefined;
    let text = '';
    let failure = '';
    try {
      const res = await request(this.destination.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: requestBody(
          this.destination.kind,
          rows.map((r) => r.fragment),
        ),
        signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.options.timeoutMs)]),
        ...(this.options.dispatcher === undefined ? {} : { dispatcher: this.options.dispatcher }),
      });
      status = res.statusCode;
      retryAfter = res.headers['retry-after'];
      text = await res.body.text();
    } catch (err) {
      if (this.stopped) {
        this.outbox.markFailed(key, []); // leave the rows queued for the next start
        return;
      }
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      // The error's class or code only: a message can quote what was sent.
      failure =
        (err as Error).name === 'TimeoutError'
          ? `no answer within ${this.options.timeoutMs} ms`
          : ((err as { code?: string }).code ?? cause ?? (err as Error).name);
    }
    const outcome = classify(status);
    if (outcome === 'delivered') {
      this.outbox.remove(key, rows);
      this.counts.sentSpans += spans;
      this.counts.sentRequests += 1;
      if (this.failures > 0)
        this.log.info(`forwarding to ${this.destination.url}: delivering again after ${this.failures} failed attempts`);
      this.failures = 0;
      this.rejectLogged = false;
      this.fullLogged = false;
      this.notePartialSuccess(text);
      return;
    }
    if (outcome === 'reject') {
      this.outbox.remove(key, rows);
      this.counts.rejected += spans;
      this.lastError = `HTTP ${status}`;
      if (!this.rejectLogged) {
        this.rejectLogged = true;
        this.log.warn(
          `forwarding to ${this.destination.url}: the destination refused a batch of ${spans} spans with ${this.lastError}; refused batches are dropped, not retried (counted as droppedSpans.rejected)`,
        );
      }
      return;
    }
    this.outbox.markFailed(key, rows);
    this.failures += 1;
    this.counts.failedAttempts += 1;
    // The status only: a destination's error body can quote the spans it refused.
    this.lastError = status === undefined ? failure : `HTTP ${status}`;
    const delay = retryDelayMs(
      this.failures,
      parseRetryAfter(retryAfter, this.now()),
      this.options.backoff,
      this.random(),
    );
    this.pausedUntil = this.now() + delay;
    if (this.failures === 1) {
      this.log.warn(
        `forwarding to ${this.destination.url} failed (${this.lastError}); spans wait in the outbox and are retried (next in ${delay} ms)`,
      );
    }
  }

  /** OTLP's partial success: spans the destination took the request for but did not keep. */
  private notePartialSuccess(text: string): void {
    if (this.destination.kind !== 'otlp' || !text.includes('rejectedSpans')) return;
    try {
      const body = JSON.parse(text) as { partialSuccess?: { rejectedSpans?: string | number; errorMessage?: string } };
      const n = Number(body.partialSuccess?.rejectedSpans ?? 0);
      if (n > 0) {
        this.counts.rejected += n;
        this.log.warn(
          `forwarding to ${this.destination.url}: the destination rejected ${n} spans of a batch (its message is not logged: it can quote span values)`,
        );
      }
    } catch {
      // Not JSON after all: the batch was delivered, nothing more to learn.
    }
  }
}

import type { IncomingMessage } from 'node:http';
import { ClientGoneError } from './upstream-errors.js';

/** What a client may still send after its answer, read and discarded to keep the connection. */
const DRAIN_AFTER_ANSWER_BYTES = 1024 * 1024;

/**
 * The client's request body, read under two timeouts so a slow client cannot hold the proxy (or, in
 * the streaming case, one of the model's pooled connections) for long: `totalMs` for the whole
 * body and `idleMs` between two chunks (not counted while the proxy itself is not reading, i.e.
 * while the model is slow to take the body). A small body is buffered whole before the model is
 * called (see `buffer`), as nginx's request buffering does; a larger one is streamed (`chunks`).
 * After the exchange, what the client still sends is drained up to a bound, else the connection is
 * closed (`drainOrClose`), so a keep-alive connection never hangs behind an unread body.
 */
export interface ClientBodyLimits {
  totalMs: number;
  idleMs: number;
}

class ClientBodyTimeoutError extends Error {
  readonly code = 'CLIENT_BODY_TIMEOUT';
  constructor(
    readonly limitMs: number,
    readonly which: 'total' | 'idle',
  ) {
    super(
      which === 'total'
        ? `the client did not send its body within ${limitMs} ms`
        : `the client sent nothing for ${limitMs} ms in the middle of its body`,
    );
  }
}

/** Bytes queued (read but not yet forwarded) above which the client is paused. */
const HIGH_WATER = 256 * 1024;

export class ClientBody {
  private readonly queue: Buffer[] = [];
  private queuedBytes = 0;
  private ended = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  private readonly total: NodeJS.Timeout;
  private idle: NodeJS.Timeout | undefined;
  private draining = false;
  private drainLeft = 0;

  constructor(
    private readonly req: IncomingMessage,
    private readonly limits: ClientBodyLimits,
    private readonly onChunk: (chunk: Buffer) => void,
  ) {
    this.total = setTimeout(() => this.fail(new ClientBodyTimeoutError(limits.totalMs, 'total')), limits.totalMs);
    this.armIdle();
    req.on('data', (chunk: Buffer) => this.take(chunk));
    req.on('end', () => {
      this.ended = true;
      this.stopTimers();
      this.notify();
    });
    req.on('close', () => {
      if (!this.ended) this.fail(new ClientGoneError('the client closed the connection before its body was complete'));
    });
  }

  /** Whether the whole body has arrived. */
  get complete(): boolean {
    return this.ended;
  }

  /**
   * Reads until the body ends (resolves with it) or passes `limit` bytes (resolves undefined: stream
   * it with `chunks`, which starts with what was read). Rejects on a timeout or a vanished client.
   */
  async buffer(limit: number): Promise<Buffer | undefined> {
    while (!this.ended && this.failure === undefined && this.queuedBytes <= limit) await this.next();
    if (this.failure) throw this.failure;
    if (!this.ended) return undefined;
    const body = Buffer.concat(this.queue, this.queuedBytes);
    this.queue.length = 0;
    this.queuedBytes = 0;
    return body;
  }

  /** The body chunk by chunk, as the model server takes it; throws on a timeout. */
  async *chunks(): AsyncGenerator<Buffer> {
    for (;;) {
      const chunk = this.queue.shift();
      if (chunk !== undefined) {
        this.queuedBytes -= chunk.length;
        if (this.req.isPaused() && this.queuedBytes < HIGH_WATER) this.resume();
        yield chunk;
        continue;
      }
      if (this.failure) throw this.failure;
      if (this.ended) return;
      await this.next();
    }
  }

  /**
   * After the answer was sent with the body still arriving: reads and discards up to `maxBytes`
   * more while the client keeps sending (idle timeout between chunks); if the body ends within that,
   * the connection stays usable, otherwise it is closed.
   */
  drainOrClose(maxBytes: number = DRAIN_AFTER_ANSWER_BYTES): void {
    if (this.ended || this.draining) return;
    this.draining = true;
    this.stopTimers();
    this.drainLeft = maxBytes;
    this.queue.length = 0;
    this.queuedBytes = 0;
    if (this.failure !== undefined) return this.close();
    this.idle = setTimeout(() => this.close(), this.limits.idleMs);
    this.req.resume();
  }

  private close(): void {
    this.stopTimers();
    this.req.socket.destroy();
  }

  /** Stops the timers (the exchange ended another way). */
  stopTimers(): void {
    clearTimeout(this.total);
    if (this.idle !== undefined) clearTimeout(this.idle);
  }

  private take(chunk: Buffer): void {
    if (this.draining) {
      this.drainLeft -= chunk.length;
      if (this.drainLeft < 0) this.close();
      else this.idle?.refresh();
      return;
    }
    this.onChunk(chunk);
    this.queue.push(chunk);
    this.queuedBytes += chunk.length;
    if (this.queuedBytes >= HIGH_WATER) this.pause();
    else this.idle?.refresh();
    this.notify();
  }

  private pause(): void {
    this.req.pause();
    // The proxy is not reading: the client is not idle.
    if (this.idle !== undefined) clearTimeout(this.idle);
    this.idle = undefined;
  }

  private resume(): void {
    this.armIdle();
    this.req.resume();
  }

  private armIdle(): void {
    if (this.ended) return;
    if (this.idle !== undefined) this.idle.refresh();
    else
      this.idle = setTimeout(
        () => this.fail(new ClientBodyTimeoutError(this.limits.idleMs, 'idle')),
        this.limits.idleMs,
      );
  }

  private fail(err: Error): void {
    if (this.failure !== undefined || this.ended) return;
    this.failure = err;
    this.stopTimers();
    this.notify();
  }

  private next(): Promise<void> {
    if (this.failure !== undefined || this.ended) return Promise.resolve();
    return new Promise((resolve) => (this.wake = resolve));
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { IngestError } from './ingest-errors.js';
import type { BudgetLease } from './memory-budget.js';

/**
 * What a body is expected to cost while it is read and decoded, per byte: the bytes, the text or
 * strings made from them, the values and spans. Reserved up front when the length is declared.
 */
const EXPECTED_COST_PER_BODY_BYTE = 3;
const INFLATE_CHUNK_BYTES = 64 * 1024;

/**
 * Reads a request body into one Buffer, never holding more than `limit` bytes: the raw bytes are
 * counted as they arrive and, for gzip, the inflated bytes are counted while inflating, so neither
 * a huge upload nor a gzip bomb is ever buffered whole. The bytes kept are charged to the request's
 * lease on the memory budget before they are kept (what a declared length is expected to cost, up front). On failure the request stream is left
 * paused (not destroyed) so the caller can still answer, with `Connection: close`.
 */
export type BodyEncoding = 'identity' | 'gzip';

export interface ReadBodyOptions {
  limit: number;
  encoding: BodyEncoding;
  /** The Content-Length header, when the sender gave one. */
  contentLength?: number;
  /** The request's share of the collector's memory budget. */
  lease?: BudgetLease;
  /**
   * Sees each chunk of the (inflated) body as it is kept, e.g. to count what it will cost; what it
   * throws fails the read at once, so the rest is neither read nor inflated.
   */
  inspect?: (chunk: Buffer) => void;
}

const mib = (n: number): string =>
  n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MiB` : `${n} bytes`;

function tooLarge(limit: number, what: string): IngestError {
  return new IngestError(
    'body_too_large',
    `the ${what} is larger than the collector's body limit of ${mib(limit)}: send smaller batches (the OpenTelemetry SDK's OTEL_BSP_MAX_EXPORT_BATCH_SIZE) or raise --body-limit / INFERTRACE_BODY_LIMIT`,
  );
}

/** Maps the Content-Encoding header to a supported encoding, or undefined when unsupported. */
export function bodyEncoding(header: string | undefined): BodyEncoding | undefined {
  const value = (header ?? '').trim().toLowerCase();
  if (value === '' || value === 'identity') return 'identity';
  if (value === 'gzip' || value === 'x-gzip') return 'gzip';
  return undefined;
}

export function readBody(stream: Readable, options: ReadBodyOptions): Promise<Buffer> {
  const { limit, encoding, contentLength, lease, inspect } = options;
  if (contentLength !== undefined && contentLength > limit) {
    return Promise.reject(
      tooLarge(limit, encoding === 'gzip' ? 'compressed body' : 'request body (by its Content-Length)'),
    );
  }
  try {
    if (contentLength !== undefined) lease?.reserve(contentLength * EXPECTED_COST_PER_BODY_BYTE, 'the request body');
  } catch (err) {
    return Promise.reject(err);
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let rawSize = 0;
    let size = 0;
    let settled = false;
    // 64 KiB of output per step rather than zlib's 16 KiB: a quarter of the callbacks per inflated byte.
    const gunzip = encoding === 'gzip' ? createGunzip({ chunkSize: INFLATE_CHUNK_BYTES }) : undefined;

    const cleanup = (): void => {
      stream.off('data', onRaw);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.off('close', onClose);
    };
    const fail = (err: IngestError): void => {
      if (settled) return;
      settled = true;
      cleanup();
      stream.pause();
      gunzip?.destroy();
      reject(err);
    };
    const succeed = (): void => {
      if (settled) return;
      settled = true;
      cleanup();
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    };
    const collect = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) return fail(tooLarge(limit, 'decompressed body'));
      try {
        lease?.charge(chunk.length, 'the request body');
        inspect?.(chunk);
      } catch (err) {
        return fail(err as IngestError);
      }
      chunks.push(chunk);
    };
    function onRaw(chunk: Buffer): void {
      rawSize += chunk.length;
      if (rawSize > limit) return fail(tooLarge(limit, encoding === 'gzip' ? 'compressed body' : 'request body'));
      if (gunzip === undefined) return collect(chunk);
      // Inflate with back-pressure: a small compressed chunk may inflate to a lot.
      if (!gunzip.write(chunk)) {
        stream.pause();
        gunzip.once('drain', () => {
          if (!settled) stream.resume();
        });
      }
    }
    function onEnd(): void {
      if (gunzip === undefined) succeed();
      else gunzip.end();
    }
    function onError(err: Error): void {
      fail(new IngestError('body_aborted', `the request body could not be read: ${err.message}`, { cause: err }));
    }
    function onClose(): void {
      if (!stream.readableEnded)
        fail(new IngestError('body_aborted', 'the sender closed the connection before the body was complete'));
    }

    if (gunzip !== undefined) {
      gunzip.on('data', collect);
      gunzip.on('end', succeed);
      gunzip.on('error', (err) =>
        fail(
          new IngestError(
            'bad_content_encoding',
            `the body is not valid gzip (Content-Encoding: gzip): ${err.message}`,
            { cause: err },
          ),
        ),
      );
    }
    stream.on('data', onRaw);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}

import type { FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import type { SpanWriter } from '../storage/span-store.js';
import type { SpanRecord } from '../../shared/span-record.js';
import { bodyEncoding, readBody } from './body-reader.js';
import type { DecodeLimits } from './decode-meter.js';
import type { EventLoopPace } from './event-loop-pace.js';
import { DecodeMeter } from './decode-meter.js';
import type { IngestCounters } from './ingest-counters.js';
import { IngestError } from './ingest-errors.js';
import type { BudgetLease, MemoryBudget } from './memory-budget.js';
import { JsonScan, parseScannedJson } from './metered-json.js';
import { storeWriteError } from './store-errors.js';
import type { RejectedSpan, SpanCandidate, ValidationLimits } from './validate.js';
import { partitionSpans } from './validate.js';

/**
 * The receivers' shared steps: read the body within the limit, and take decoded candidates through
 * validation into the store. A sender is acknowledged only after `writeSpans` resolves.
 */
export interface IngestOptions {
  store: SpanWriter;
  counters: IngestCounters;
  /** Largest body accepted, in bytes, before and after decompression. */
  bodyLimit: number;
  limits: ValidationLimits;
  /** What one body may make the decoders build. */
  decodeLimits: DecodeLimits;
  /** The collector-wide budget every request's body, values and spans are charged to. */
  budget: MemoryBudget;
  /** The collector's clock, in nanoseconds since the epoch (for the future-timestamp check). */
  now: () => bigint;
}

export interface IngestResult {
  total: number;
  accepted: number;
  rejected: RejectedSpan[];
}

/** One request's share of the budget and the meter its decoding counts on; release the lease when done. */
export interface RequestCost {
  lease: BudgetLease;
  meter: DecodeMeter;
}

export function requestCost(options: IngestOptions): RequestCost {
  const lease = options.budget.lease();
  return { lease, meter: new DecodeMeter(options.decodeLimits, lease) };
}

/**
 * Reads the request's body (raw stream handed over by the ingest scope's content-type parser);
 * `inspect` sees each chunk as it is kept (see ReadBodyOptions).
 */
export function readRequestBody(
  request: FastifyRequest,
  bodyLimit: number,
  lease?: BudgetLease,
  inspect?: (chunk: Buffer) => void,
): Promise<Buffer> {
  const header = request.headers['content-encoding'];
  const encoding = bodyEncoding(header);
  if (encoding === undefined) {
    throw new IngestError(
      'unsupported_content_encoding',
      `Content-Encoding "${header}" is not supported: send the body uncompressed or with gzip`,
    );
  }
  const length = request.headers['content-length'];
  const contentLength = length === undefined ? undefined : Number(length);
  const stream = (request.body as Readable | undefined) ?? request.raw;
  return readBody(stream, {
    limit: bodyLimit,
    encoding,
    ...(Number.isFinite(contentLength) ? { contentLength } : {}),
    ...(lease !== undefined ? { lease } : {}),
    ...(inspect !== undefined ? { inspect } : {}),
  });
}

/**
 * Reads a JSON body, its values counted as it arrives (a body over the limits is refused before the
 * rest is read or inflated), and parses it, giving way to the event loop as `pace` asks.
 */
export async function readJsonBody(
  request: FastifyRequest,
  options: IngestOptions,
  cost: RequestCost,
  pace: EventLoopPace,
): Promise<unknown> {
  const scan = new JsonScan(cost.meter);
  const body = await readRequestBody(request, options.bodyLimit, cost.lease, (chunk) => scan.feed(chunk));
  return parseScannedJson(body, scan, cost.meter, pace);
}

/** Candidates validated at a time, between which a large request gives way to the event loop. */
const VALIDATION_SLICE = 1024;

/**
 * Validates and stores; throws an IngestError (store_full, store_unavailable, internal) when the
 * write fails. A large request is validated in slices, giving way to the event loop as `pace` asks.
 */
export async function storeCandidates(
  candidates: readonly SpanCandidate[],
  options: IngestOptions,
  pace?: EventLoopPace,
): Promise<IngestResult> {
  const now = options.now();
  const accepted: SpanRecord[] = [];
  const rejected: RejectedSpan[] = [];
  for (let i = 0; i < candidates.length; i += VALIDATION_SLICE) {
    const slice = candidates.length <= VALIDATION_SLICE ? candidates : candidates.slice(i, i + VALIDATION_SLICE);
    const part = partitionSpans(slice, now, options.limits);
    for (const span of part.accepted) accepted.push(span);
    for (const r of part.rejected) rejected.push(r);
    if (pace?.due() === true) await pace.giveWay();
  }
  if (accepted.length > 0) {
    try {
      await options.store.writeSpans(accepted);
    } catch (err) {
      throw storeWriteError(err);
    }
  }
  options.counters.accepted(accepted.length);
  options.counters.rejectedSpans(rejected);
  return { total: candidates.length, accepted: accepted.length, rejected };
}

/**
 * Whether part of the request's body has not even arrived, so the connection must not be reused
 * (a body that arrived whole but was not read is discarded by Node before the next request).
 */
export function bodyUnread(request: FastifyRequest): boolean {
  return !request.raw.complete;
}

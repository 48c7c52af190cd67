import type { DecodeMeter } from './decode-meter.js';
import type { EventLoopPace } from './event-loop-pace.js';
import { badPayload, IngestError } from './ingest-errors.js';
import { parseJsonInSlices, SLICE_BYTES } from './sliced-json.js';

/**
 * JSON parsing whose cost is counted first: JsonScan counts the values a JSON text would make
 * JSON.parse build — one per `{`, `[` and `,` outside strings (an upper bound on objects, arrays and
 * elements) — on the meter, in one pass over the bytes, before anything is parsed. It is fed the
 * body chunk by chunk while it is read (and inflated), so a body of millions of tiny values is
 * refused as soon as the limit is passed, before the rest is even inflated (about 3 ns a byte).
 * Nesting is limited too (MAX_JSON_DEPTH): V8's JSON.parse would survive a million levels, but
 * parsing them holds the event loop for half a second, and no span needs more than ~40.
 * The same pass notes where each large container (SLICE_BYTES or more) begins and ends, so a
 * large body can be parsed in slices that yield to the event loop (sliced-json.ts).
 */
const MAX_JSON_DEPTH = 256;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const COMMA = 0x2c;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
/** Counted values are handed to the meter in steps, so the loop stays tight. */
const STEP = 4096;
/** Bodies at least this long are parsed in slices (JSON.parse of 1 MiB takes ~10 ms here). */
const SLICED_BODY_BYTES = 1024 * 1024;

export class JsonScan {
  private pending = 0;
  private inString = false;
  private escaped = false;
  private offset = 0;
  /** Byte offsets of the containers open at this point. */
  private readonly open: number[] = [];
  /** Large containers: offset of the opening bracket → offset of its closing one. */
  readonly large = new Map<number, number>();

  constructor(
    private readonly meter: DecodeMeter,
    private readonly sliceBytes = SLICE_BYTES,
  ) {}

  /** Counts the next bytes of the body; throws too_deep or too_many_values. */
  feed(chunk: Buffer): void {
    const open = this.open;
    let { pending, inString, escaped } = this;
    try {
      for (let i = 0; i < chunk.length; i++) {
        const c = chunk[i] as number;
        if (inString) {
          if (escaped) escaped = false;
          else if (c === BACKSLASH) escaped = true;
          else if (c === QUOTE) inString = false;
        } else if (c === QUOTE) {
          inString = true;
        } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
          const start = open.pop();
          const at = this.offset + i;
          if (start !== undefined && at - start >= this.sliceBytes) this.large.set(start, at);
        } else if (c === OPEN_BRACE || c === OPEN_BRACKET || c === COMMA) {
          if (c !== COMMA && open.push(this.offset + i) > MAX_JSON_DEPTH) {
            throw new IngestError(
              'too_deep',
              `the JSON body is nested deeper than ${MAX_JSON_DEPTH} levels (at byte ${this.offset + i}): no span needs that; attribute values may nest 10 levels`,
            );
          }
          if (++pending === STEP) {
            this.meter.value(pending);
            pending = 0;
          }
        }
      }
    } finally {
      this.pending = pending;
      this.inString = inString;
      this.escaped = escaped;
      this.offset += chunk.length;
    }
  }

  /** Counts what is left once the whole body went by. */
  finish(): void {
    this.meter.value(this.pending);
    this.pending = 0;
  }
}

/** Counts the values of a whole JSON text on the meter (see JsonScan). */
export function scanJsonValues(body: Buffer, meter: DecodeMeter): JsonScan {
  const scan = new JsonScan(meter);
  scan.feed(body);
  scan.finish();
  return scan;
}

const chargeText = (body: Buffer, meter: DecodeMeter): void =>
  // The text JSON.parse reads is a second copy of the body; the strings parsed from it, a third.
  meter.charge(2 * body.length, 'the JSON text and its strings');

function parseWhole(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw badPayload(`the body is not valid JSON: ${(err as Error).message}`, err);
  }
}

/** JSON.parse of a body whose values were first counted on the meter (when there is one). */
export function parseMeteredJson(body: Buffer, meter: DecodeMeter | undefined): unknown {
  if (meter !== undefined) {
    scanJsonValues(body, meter);
    chargeText(body, meter);
  }
  return parseWhole(body);
}

/**
 * Parses a body that `scan` was fed while it was read: at once when it is small, in slices that
 * yield to the event loop when it is large, so no request holds the loop for long.
 */
export async function parseScannedJson(
  body: Buffer,
  scan: JsonScan,
  meter: DecodeMeter,
  pace: EventLoopPace,
): Promise<unknown> {
  scan.finish();
  chargeText(body, meter);
  if (body.length < SLICED_BODY_BYTES) return parseWhole(body);
  return parseJsonInSlices(body, scan.large, pace);
}

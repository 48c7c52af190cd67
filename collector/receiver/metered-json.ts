import type { DecodeMeter } from './decode-meter.js';
import { badPayload, IngestError } from './ingest-errors.js';

/**
 * JSON parsing whose cost is counted first: scanJsonValues counts the values a JSON text would make
 * JSON.parse build — one per `{`, `[` and `,` outside strings (an upper bound on objects, arrays and
 * elements) — on the meter, in one pass over the bytes, before anything is parsed. It stops as soon as the meter refuses, so a body of millions of
 * tiny values is refused for the cost of scanning a part of it (about 3 ns a byte), not of building it.
 * Nesting is limited too (MAX_JSON_DEPTH): V8's JSON.parse would survive a million levels, but
 * parsing them holds the event loop for half a second, and no span needs more than ~40.
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

export function scanJsonValues(body: Buffer, meter: DecodeMeter): void {
  let pending = 0;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as number;
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET || c === COMMA) {
      if (c !== COMMA && ++depth > MAX_JSON_DEPTH) {
        throw new IngestError(
          'too_deep',
          `the JSON body is nested deeper than ${MAX_JSON_DEPTH} levels (at byte ${i}): no span needs that; attribute values may nest 10 levels`,
        );
      }
      if (++pending === STEP) {
        meter.value(pending);
        pending = 0;
      }
    }
  }
  meter.value(pending);
}

/** JSON.parse of a body whose values were first counted on the meter (when there is one). */
export function parseMeteredJson(body: Buffer, meter: DecodeMeter | undefined): unknown {
  if (meter !== undefined) {
    scanJsonValues(body, meter);
    // The text JSON.parse reads is a second copy of the body; the strings parsed from it, a third.
    meter.charge(2 * body.length, 'the JSON text and its strings');
  }
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw badPayload(`the body is not valid JSON: ${(err as Error).message}`, err);
  }
}

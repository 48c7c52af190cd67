import { describe, expect, it } from 'vitest';
import { DecodeMeter } from '../../../collector/receiver/decode-meter.js';
import { EventLoopPace } from '../../../collector/receiver/event-loop-pace.js';
import { IngestError } from '../../../collector/receiver/ingest-errors.js';
import { refuseCrowdedProtobuf } from '../../../collector/otlp/protobuf-census.js';
import * as pb from '../support/proto-bytes.js';

/** `n` empty attributes (field 9, length 0) of one span. */
const emptyAttributes = (n: number): Buffer => {
  const b = Buffer.alloc(n * 2);
  for (let i = 0; i < b.length; i += 2) b[i] = 0x4a;
  return b;
};

const outcome = async (body: Buffer, maxValues: number): Promise<{ code: string | undefined; values: number }> => {
  const meter = new DecodeMeter({ maxValues, maxSpans: Infinity });
  try {
    await refuseCrowdedProtobuf(body, meter, new EventLoopPace());
    return { code: undefined, values: meter.values };
  } catch (err) {
    return { code: err instanceof IngestError ? err.code : String(err), values: meter.values };
  }
};

describe('refuseCrowdedProtobuf', () => {
  it.each([
    [
      'one span of 5,000 empty attributes, limit 1,000',
      pb.exportRequest([pb.span({ extra: [emptyAttributes(5_000)] })]),
      1_000,
      'too_many_values',
    ],
    [
      '3,000 empty spans, limit 1,000',
      pb.exportRequest(Array.from({ length: 3_000 }, () => Buffer.alloc(0))),
      1_000,
      'too_many_values',
    ],
    [
      'one span of 500 empty attributes, limit 1,000',
      pb.exportRequest([pb.span({ extra: [emptyAttributes(500)] })]),
      1_000,
      undefined,
    ],
    [
      'a body too small to pass the limit is not counted',
      pb.exportRequest([pb.span({ extra: [emptyAttributes(100)] })]),
      100_000,
      undefined,
    ],
    [
      'malformed bytes end the count silently',
      Buffer.concat([Buffer.from([0x0a, 0xff, 0xff, 0x03]), Buffer.alloc(5_000)]),
      1_000,
      undefined,
    ],
  ])('%s', async (_name, body, max, code) => {
    const result = await outcome(body, max);
    expect(result.code).toBe(code);
    // Nothing is charged to the meter unless the body is refused.
    if (code === undefined) expect(result.values).toBe(0);
  });
});

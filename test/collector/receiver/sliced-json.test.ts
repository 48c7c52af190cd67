import { describe, expect, it } from 'vitest';
import { unlimitedMeter } from '../../../collector/receiver/decode-meter.js';
import { EventLoopPace } from '../../../collector/receiver/event-loop-pace.js';
import { IngestError } from '../../../collector/receiver/ingest-errors.js';
import { JsonScan } from '../../../collector/receiver/metered-json.js';
import { parseJsonInSlices } from '../../../collector/receiver/sliced-json.js';

/**
 * parseJsonInSlices builds what JSON.parse builds, and refuses what it refuses — whatever the slice
 * size (1 byte: every container is walked member by member; 1,000: none is).
 */
async function sliced(text: string, sliceBytes: number): Promise<unknown> {
  const body = Buffer.from(text);
  const scan = new JsonScan(unlimitedMeter(), sliceBytes);
  scan.feed(body);
  scan.finish();
  return parseJsonInSlices(body, scan.large, new EventLoopPace(), sliceBytes);
}

const TEXTS = [
  '[1,2,3]',
  ' { "a" : [1, {"b":"x,]}"}, null], "a2": true } ',
  '[[],[[]],{},"s\\"]"]',
  '{"a":1,"a":2}',
  '"str"',
  '12',
  '{"a":{"b":[1,2,3,{"c":"d"}]},"e":[[[[1]]]]}',
  '[{"a":1},{"b":[2,3]},4,"5",null,false,"\\u00e9",-1.5e3]',
];
const INVALID = ['[1,]', '[1 2]', '{"a" 1}', '{"a":1,}', '[', '[1,2', '{"a":[1,2}', '[1]x', '', '[tru]', '{1:2}'];

describe('parseJsonInSlices', () => {
  it.each(TEXTS.flatMap((t) => [1, 2, 1000].map((n) => [t, n] as const)))('parses %j (slices of %i)', async (t, n) => {
    expect(await sliced(t, n)).toEqual(JSON.parse(t));
  });

  it.each(INVALID.flatMap((t) => [1, 1000].map((n) => [t, n] as const)))(
    'refuses %j with bad_payload (slices of %i)',
    async (t, n) => {
      expect(() => JSON.parse(t)).toThrow();
      await expect(sliced(t, n)).rejects.toSatisfy((e) => e instanceof IngestError && e.code === 'bad_payload');
    },
  );

  it('keeps "__proto__" an own key, as JSON.parse does, without touching the prototype', async () => {
    const value = (await sliced('{"a":[1,2],"__proto__":{"polluted":1},"b":{"__proto__":[3]}}', 1)) as Record<
      string,
      unknown
    >;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['a', '__proto__', 'b']);
    expect(value).toEqual(JSON.parse('{"a":[1,2],"__proto__":{"polluted":1},"b":{"__proto__":[3]}}'));
  });
});

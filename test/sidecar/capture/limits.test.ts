import { describe, expect, it } from 'vitest';
import type { Feature } from '../../../sidecar/capture/extraction.js';
import { flattenFeatures } from '../../../sidecar/capture/flatten.js';
import { MAX_NAME, limitShape, limitStrings, type TruncationReason } from '../../../sidecar/capture/limits.js';

const limits = { maxBytes: 1 << 20, maxFeatures: 2, maxValues: 3, maxString: 5 };
const f = (name: string, values: Feature['values']): Feature => ({ name, values });

describe('limits', () => {
  it.each<[string, Feature[], string[], TruncationReason[]]>([
    ['within every limit', [f('a', [1, 2])], ['a:1,2'], []],
    ['too many features', [f('a', [1]), f('b', [2]), f('c', [3])], ['a:1', 'b:2'], ['max_features']],
    ['too many values', [f('a', [1, 2, 3, 4, 5])], ['a:1,2,3'], ['max_values']],
    ['a name too long', [f('n'.repeat(MAX_NAME + 10), [1])], [`${'n'.repeat(MAX_NAME)}:1`], ['max_name']],
  ])('%s', (_name, features, kept, reasons) => {
    const got = new Set<TruncationReason>();
    const out = limitShape(features, limits, got);
    expect(out.map((x) => `${x.name}:${x.values.join(',')}`)).toEqual(kept);
    expect([...got]).toEqual(reasons);
  });

  it.each<[Feature['values'], Feature['values'], boolean]>([
    [['short', 'longer text'], ['short', 'longe'], true],
    [['abc', 12345678, null], ['abc', 12345678, null], false],
  ])('cuts strings %j', (values, expected, truncated) => {
    const got = new Set<TruncationReason>();
    expect(limitStrings([f('s', values)], 5, got)[0]?.values).toEqual(expected);
    expect(got.has('max_string')).toBe(truncated);
  });
});

describe('features to attributes', () => {
  it.each<[string, Feature['values'], number, unknown]>([
    ['one row: a scalar', [3.5], 1, 3.5],
    ['one row: null is left out', [null], 1, undefined],
    ['a batch: an array', [1, 2, 3], 3, [1, 2, 3]],
    ['a batch keeps nulls', [1, null, 3], 3, [1, null, 3]],
    ['mixed types become strings', [1, 'a', true, null], 4, ['1', 'a', 'true', null]],
  ])('%s', (_name, values, rows, expected) => {
    const attrs: Record<string, unknown> = {};
    flattenFeatures([f('x', values)], rows, 'ml.input.', attrs as never);
    expect(attrs['ml.input.x']).toEqual(expected);
  });
});

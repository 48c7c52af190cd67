import { describe, expect, it } from 'vitest';
import type { Attributes, AttributeValue } from '../../../shared/span-record.js';
import { FeatureEncoder } from '../../../sidecar/telemetry/feature-encoder.js';
import { encodeSpanAttributes } from '../../../sidecar/telemetry/otlp-attributes.js';
import { toOtelAttributes } from '../../../sidecar/telemetry/otel-attribute-values.js';

/** The bytes the SDK path writes: the attributes converted, then encoded as a span's (field 9). */
const viaAttributes = (attrs: Attributes): Buffer => Buffer.from(encodeSpanAttributes(toOtelAttributes(attrs)));

function viaEncoder(encoder: FeatureEncoder, features: [string, string, AttributeValue][]): Buffer | undefined {
  encoder.start();
  for (const [prefix, name, value] of features) encoder.put(prefix, name, value);
  const out = encoder.finish();
  return out === undefined ? undefined : Buffer.from(out, 'latin1');
}

describe('FeatureEncoder writes what encoding the converted attributes writes', () => {
  const encoder = new FeatureEncoder(); // one for every case: keys cached, buffer reused
  it.each<[string, [string, string, AttributeValue][]]>([
    ['one number', [['ml.input.', 'age', 42]]],
    [
      'a double and a negative integer',
      [
        ['ml.input.', 'x', 0.25],
        ['ml.input.', 'y', -7],
      ],
    ],
    ['a batch of doubles', [['ml.input.', 'f0', Array.from({ length: 300 }, (_, i) => i / 3)]]],
    ['strings, not only ASCII', [['ml.input.', 'note', ['ünïcödé ☃', '', 'x'.repeat(300)]]]],
    ['booleans', [['ml.output.', 'ok', [true, false]]]],
    ['a column with nulls (JSON text)', [['ml.input.', 'gap', [1, null, 3]]]],
    ['a column of mixed types (JSON text)', [['ml.input.', 'mix', [1, 'a']]]],
    ['an empty array', [['ml.input.', 'none', []]]],
    [
      'the same names again (cached keys)',
      [
        ['ml.input.', 'age', 43],
        ['ml.input.', 'x', 1.5],
      ],
    ],
    [
      'inputs and outputs of the same name',
      [
        ['ml.input.', 'p', 1],
        ['ml.output.', 'p', 2],
      ],
    ],
  ])('%s', (_name, features) => {
    const attrs: Attributes = Object.fromEntries(features.map(([prefix, name, v]) => [prefix + name, v]));
    expect(viaEncoder(encoder, features)?.equals(viaAttributes(attrs))).toBe(true);
  });

  it('nothing written: no bytes; a null is left out as the SDK path leaves it out', () => {
    expect(viaEncoder(encoder, [])).toBeUndefined();
    expect(viaEncoder(encoder, [['ml.input.', 'nil', null]])).toBeUndefined();
  });
});

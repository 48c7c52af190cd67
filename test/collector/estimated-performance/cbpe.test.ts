import { describe, expect, it } from 'vitest';
import { calibration, estimateAccuracy, outsideInterval, Z95 } from '../../../collector/estimated-performance/cbpe.js';
import { probabilityRows, probabilityShape } from '../../../collector/estimated-performance/class-probabilities.js';
import type { Attributes } from '../../../shared/span-record.js';

describe('estimateAccuracy (CBPE)', () => {
  it.each([
    ['certain', [1, 1, 1], 1, 0],
    ['coin flips', [0.5, 0.5, 0.5, 0.5], 0.5, (Z95 * Math.sqrt(4 * 0.25)) / 4],
    ['mixed', [0.9, 0.6], 0.75, (Z95 * Math.sqrt(0.9 * 0.1 + 0.6 * 0.4)) / 2],
  ])('%s', (_name, confidences, accuracy, half) => {
    const e = estimateAccuracy(confidences);
    expect(e.count).toBe(confidences.length);
    expect(e.accuracy).toBeCloseTo(accuracy, 12);
    expect(e.high! - e.accuracy!).toBeCloseTo(Math.min(half, 1 - accuracy), 12);
  });

  it('has no estimate without predictions', () => {
    expect(estimateAccuracy([])).toEqual({ count: 0, accuracy: null, low: null, high: null });
  });

  it.each([
    [0.5, true],
    [0.74, false],
    [0.95, true],
  ])('realised %f outside [0.7, 0.8]: %s', (realised, outside) => {
    expect(outsideInterval(realised, { count: 10, accuracy: 0.75, low: 0.7, high: 0.8 })).toBe(outside);
  });
});

describe('calibration', () => {
  it('compares expected and observed accuracy per confidence bin', () => {
    const rows = [
      ...Array.from({ length: 10 }, (_, i) => ({ confidence: 0.95, correct: i < 9 })),
      ...Array.from({ length: 30 }, (_, i) => ({ confidence: 0.6, correct: i < 12 })),
    ];
    const c = calibration(rows);
    expect(c.labelled).toBe(40);
    expect(c.bins[9]).toMatchObject({ count: 10, expected: 0.95, observed: 0.9 });
    expect(c.bins[6]).toMatchObject({ count: 30, observed: 0.4 });
    expect(c.ece).toBeCloseTo((10 / 40) * 0.05 + (30 / 40) * 0.2, 12);
    expect(c.trustworthy).toBe(false);
  });

  it('trusts a calibrated model and withholds judgement on few labels', () => {
    expect(
      calibration(Array.from({ length: 40 }, (_, i) => ({ confidence: 0.75, correct: i % 4 !== 0 }))).trustworthy,
    ).toBe(true);
    expect(calibration([{ confidence: 0.75, correct: true }]).trustworthy).toBeNull();
  });
});

describe('class probabilities of a captured call', () => {
  it.each([
    [
      'binary scalar',
      { 'ml.output.probability': 0.2, 'ml.output.label': 0 },
      undefined,
      'binary',
      [{ row: 0, confidence: 0.8, predicted: 0 }],
    ],
    [
      'binary batch',
      { 'ml.batch.size': 2, 'ml.output.probability': [0.7, 0.5] },
      undefined,
      'binary',
      [
        { row: 0, confidence: 0.7, predicted: 1 },
        { row: 1, confidence: 0.5, predicted: 1 },
      ],
    ],
    [
      'multiclass columns',
      { 'ml.output.probabilities.0': 0.1, 'ml.output.probabilities.1': 0.7, 'ml.output.probabilities.2': 0.2 },
      undefined,
      'multiclass',
      [{ row: 0, confidence: 0.7, predicted: 1 }],
    ],
    [
      'named output',
      { 'ml.output.p': [0.1, 2], 'ml.batch.size': 2 },
      'p',
      'binary',
      [{ row: 0, confidence: 0.9, predicted: 0 }],
    ],
  ] as [string, Attributes, string | undefined, string, unknown[]][])(
    '%s',
    (_name, attributes, preferred, kind, rows) => {
      const shape = probabilityShape(attributes, preferred);
      expect(shape?.kind).toBe(kind);
      expect(probabilityRows(attributes, shape!)).toEqual(rows);
    },
  );

  it('finds none without a probability output', () => {
    expect(probabilityShape({ 'ml.output.label': 1, 'ml.output.score': 0.3 })).toBeUndefined();
    expect(probabilityShape({ 'ml.output.probability': 0.3 }, 'score')).toBeUndefined();
  });
});

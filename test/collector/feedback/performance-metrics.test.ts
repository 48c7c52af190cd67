import { describe, expect, it } from 'vitest';
import { isCorrect, numericPrediction, scoreRecords } from '../../../collector/feedback/performance-metrics.js';
import type { SliceValue, Truth } from '../../../collector/feedback/feedback-types.js';

type Row = [SliceValue | null, Truth];
const L = (l: string | number | boolean): Truth => ({ kind: 'label', label: l });
const V = (v: number): Truth => ({ kind: 'value', value: v });
const rows = (list: Row[]) => list.map(([prediction, truth]) => ({ prediction, truth }));

describe('accuracy', () => {
  it.each<[string, Row[], number, number, number]>([
    [
      'all right',
      [
        ['a', L('a')],
        ['b', L('b')],
      ],
      2,
      2,
      0,
    ],
    [
      'one of three wrong',
      [
        ['a', L('a')],
        ['b', L('a')],
        ['c', L('c')],
      ],
      3,
      2,
      0,
    ],
    [
      'classes compared as text',
      [
        [1, L('1')],
        ['0', L(0)],
        [true, L('true')],
      ],
      3,
      3,
      0,
    ],
    ['true is not 1', [[1, L(true)]], 1, 0, 0],
    [
      'no prediction is unscored, not wrong',
      [
        [null, L('a')],
        ['a', L('a')],
      ],
      1,
      1,
      1,
    ],
  ])('%s', (_name, list, count, correct, unscored) => {
    const s = scoreRecords(rows(list));
    expect(s.classification).toEqual({ count, correct, accuracy: correct / count });
    expect(s.unscored).toBe(unscored);
    expect(s.regression).toBeNull();
  });
});

describe('MAE and RMSE', () => {
  it.each<[string, Row[], number[]]>([
    [
      'exact',
      [
        [2, V(2)],
        [5, V(5)],
      ],
      [0, 0],
    ],
    [
      'errors 1 and 3',
      [
        [3, V(2)],
        [2, V(5)],
      ],
      [1, -3],
    ],
    ['numeric text predictions', [['4.5', V(4)]], [0.5]],
    [
      'one large error',
      [
        [0, V(0)],
        [0, V(0)],
        [0, V(0)],
        [10, V(0)],
      ],
      [0, 0, 0, 10],
    ],
  ])('%s', (_name, list, errors) => {
    const s = scoreRecords(rows(list));
    const mae = errors.reduce((a, e) => a + Math.abs(e), 0) / errors.length;
    const rmse = Math.sqrt(errors.reduce((a, e) => a + e * e, 0) / errors.length);
    expect(s.regression?.count).toBe(errors.length);
    expect(s.regression?.mae).toBeCloseTo(mae, 12);
    expect(s.regression?.rmse).toBeCloseTo(rmse, 12);
    expect(s.classification).toBeNull();
  });

  it('counts a non-numeric prediction of a regression as unscored', () => {
    const s = scoreRecords(
      rows([
        ['high', V(3)],
        [3, V(3)],
      ]),
    );
    expect([s.unscored, s.regression?.count, s.count]).toEqual([1, 1, 1]);
  });
});

describe('helpers', () => {
  it.each<[SliceValue | null, number | undefined]>([
    [3, 3],
    ['2.5', 2.5],
    ['', undefined],
    ['x', undefined],
    [true, undefined],
    [null, undefined],
  ])('numericPrediction(%j) = %j', (p, expected) => expect(numericPrediction(p)).toBe(expected));
  it.each<[SliceValue | null, SliceValue, boolean]>([
    ['a', 'a', true],
    ['a', 'b', false],
    [null, 'a', false],
    [2, 2, true],
  ])('isCorrect(%j, %j) = %j', (p, l, expected) => expect(isCorrect(p, l)).toBe(expected));
});

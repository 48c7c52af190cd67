import { describe, expect, it } from 'vitest';
import { DEFAULT_JOIN_OPTIONS, joinPrediction, predictionValue } from '../../../collector/feedback/prediction-join.js';
import type { Attributes } from '../../../shared/span-record.js';
import { item, label, predictionTrace, T } from './feedback-fixtures.js';

const join = (attributes: Attributes, row: number | null = null, outputs: Record<string, string> = {}) =>
  joinPrediction(item('r-1', label('yes'), { row }), [predictionTrace({ requestId: 'r-1', attributes })], {
    ...DEFAULT_JOIN_OPTIONS,
    outputs,
  });

describe('joinPrediction: which output and which row is the prediction', () => {
  it.each([
    ['the only output', { 'ml.output.label': 'yes' }, null, {}, 'label', 'yes'],
    ['a one-element array', { 'ml.output.label': ['no'] }, null, {}, 'label', 'no'],
    ['row 0 of a single-row call', { 'ml.output.label': 'yes' }, 0, {}, 'label', 'yes'],
    ['the first output by name', { 'ml.output.score': 0.9, 'ml.output.label': 'no' }, null, {}, 'label', 'no'],
    [
      'the configured output',
      { 'ml.output.score': 0.9, 'ml.output.label': 'no' },
      null,
      { fraud: 'score' },
      'score',
      0.9,
    ],
    ['class scores → index of the largest', { 'ml.output.probs': [[0.1, 0.7, 0.2]] }, null, {}, 'probs', 1],
    ['a batch row', { 'ml.batch.size': 3, 'ml.output.label': ['a', 'b', 'c'] }, 2, {}, 'label', 'c'],
    [
      'a batch row of class scores',
      {
        'ml.batch.size': 2,
        'ml.output.p': [
          [0.9, 0.1],
          [0.2, 0.8],
        ],
      },
      1,
      {},
      'p',
      1,
    ],
    ['an object output is no usable prediction', { 'ml.output.x': { a: 1 } }, null, {}, 'x', null],
  ])('%s', (_name, attributes, row, outputs, output, prediction) => {
    const result = join(attributes as Attributes, row, outputs);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.record.output).toBe(output);
    expect(result.record.prediction).toEqual(prediction);
    expect(result.record.row).toBe(row ?? 0);
  });

  it.each([
    ['a batch without a row', { 'ml.batch.size': 2, 'ml.output.label': ['a', 'b'] }, null, {}, 'ambiguous_batch'],
    ['a row past the batch', { 'ml.batch.size': 2, 'ml.output.label': ['a', 'b'] }, 2, {}, 'row_out_of_range'],
    ['a row on a single-row call', { 'ml.output.label': 'a' }, 1, {}, 'row_out_of_range'],
    ['no output captured', { 'ml.capture': 'skipped' }, null, {}, 'no_prediction'],
    ['the configured output is absent', { 'ml.output.label': 'a' }, null, { fraud: 'score' }, 'no_prediction'],
  ])('%s is refused with %s', (_name, attributes, row, outputs, code) => {
    const result = join(attributes as Attributes, row, outputs);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe(code);
      expect(result.message).toContain('r-1');
    }
  });

  it('reports an unknown request when no SERVER span carries the id', () => {
    const traces = [predictionTrace({ requestId: 'other', attributes: { 'ml.output.label': 'a' } })];
    const result = joinPrediction(item('r-1', label('a')), traces, DEFAULT_JOIN_OPTIONS);
    expect(result).toMatchObject({ ok: false, code: 'unknown_request' });
  });

  it('keeps model, version, ids, time, subject and the row of batch inputs as slices', () => {
    const [server] = predictionTrace({
      requestId: 'r-1',
      atMs: T + 5,
      version: '7',
      attributes: {
        'ml.batch.size': 2,
        'ml.output.label': ['a', 'b'],
        'ml.input.region': ['eu', 'us'],
        'ml.input.amount': [10, 20],
        'enduser.pseudo.id': 'subj-1',
        'http.route': '/v2/models/{m}/infer',
      },
    });
    const result = joinPrediction(item('r-1', label('b'), { row: 1 }), [[server!]], DEFAULT_JOIN_OPTIONS);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const r = result.record;
    expect([r.model, r.version, r.traceId, r.spanId, r.subject, r.predictionMs]).toEqual([
      'fraud',
      '7',
      server!.traceId,
      server!.spanId,
      'subj-1',
      T + 5,
    ]);
    expect(r.slices).toMatchObject({
      'ml.input.region': 'us',
      'ml.input.amount': 20,
      'http.route': '/v2/models/{m}/infer',
      'service.name': 'fraud-sidecar',
    });
    expect(r.slices).not.toHaveProperty('enduser.pseudo.id');
  });

  it('prefers the trace and span that carry the output, earliest first', () => {
    const without = predictionTrace({ requestId: 'r-1', attributes: { 'ml.capture': 'skipped' } });
    const late = predictionTrace({ requestId: 'r-1', atMs: T + 10, attributes: { 'ml.output.label': 'late' } });
    const early = predictionTrace({ requestId: 'r-1', atMs: T + 1, attributes: { 'ml.output.label': 'early' } });
    const result = joinPrediction(item('r-1', label('x')), [without, [...late, ...early]], DEFAULT_JOIN_OPTIONS);
    expect(result.ok && result.record.prediction).toBe('early');
  });

  it('falls back to the service name when the span names no model', () => {
    const [server] = predictionTrace({ requestId: 'r-1', attributes: { 'ml.output.y': 3 } });
    delete server!.attributes['ml.model.name'];
    delete server!.attributes['ml.model.version'];
    const result = joinPrediction(item('r-1', label(3)), [[server!]], DEFAULT_JOIN_OPTIONS);
    expect(result.ok && [result.record.model, result.record.version]).toEqual(['fraud-sidecar', '']);
  });
});

describe('predictionValue', () => {
  it.each([
    ['yes', 'yes'],
    [3, 3],
    [false, false],
    [[0.2, 0.5, 0.3], 1],
    [[], null],
    [null, null],
    [[1, 'a'], null],
  ])('%j → %j', (input, expected) => {
    expect(predictionValue(input)).toEqual(expected);
  });
});

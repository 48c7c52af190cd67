import { describe, expect, it } from 'vitest';
import { captureFixture, loadFixture } from './helpers.js';
import { FeatureTable, MalformedBody } from '../../../sidecar/capture/extraction.js';
import { addShaped } from '../../../sidecar/capture/tensor.js';

/*
 * Every protocol, from fixtures written from its documentation: single rows, batches, named and
 * unnamed tensors, binary values, malformed bodies. Each row lists the complete attribute set.
 */
const cases: [string, Record<string, unknown>][] = [
  [
    'oip-v2/batch-unnamed-2d.json',
    {
      'ml.protocol': 'oip-v2',
      'ml.model.name': 'iris',
      'ml.model.version': '1',
      'ml.request.id': 'req-42',
      'ml.batch.size': 2,
      'ml.input.input-0.0': [6.8, 6.0],
      'ml.input.input-0.1': [2.8, 3.4],
      'ml.input.input-0.2': [4.8, 4.5],
      'ml.input.input-0.3': [1.4, 1.6],
      'ml.output.output-0': [1, 2],
      'ml.capture': 'full',
    },
  ],
  [
    'oip-v2/single-row-named.json',
    {
      'ml.protocol': 'oip-v2',
      'ml.model.name': 'credit',
      'ml.model.version': '3',
      'ml.batch.size': 1,
      'ml.input.age': 42,
      'ml.input.income': 52000.5,
      'ml.input.segment': 'retail',
      'ml.output.probability': 0.73,
      'ml.capture': 'full',
    },
  ],
  [
    'oip-v2/nested-data.json',
    {
      'ml.protocol': 'oip-v2',
      'ml.model.name': 'mnist-lite',
      'ml.batch.size': 2,
      'ml.input.pixels.0': [0, 12],
      'ml.input.pixels.1': [128, 34],
      'ml.input.pixels.2': [255, 56],
      'ml.output.label': [7, 1],
      'ml.output.scores.0': [0.1, 0.8],
      'ml.output.scores.1': [0.9, 0.2],
      'ml.capture': 'full',
    },
  ],
  [
    'oip-v2/binary-extension.json',
    {
      'ml.protocol': 'oip-v2',
      'ml.model.name': 'resnet',
      'ml.batch.size': 1,
      'ml.input.image.bytes': 48,
      'ml.input.threshold': 0.5,
      'ml.output.class': 'tabby',
      'ml.capture': 'full',
    },
  ],
  [
    'oip-v2/malformed-shape.json',
    {
      'ml.protocol': 'oip-v2',
      'ml.model.name': 'iris',
      'ml.capture': 'skipped',
      'ml.capture.reason': 'malformed_body',
    },
  ],
  [
    'tfserving/half-plus-two.json',
    {
      'ml.protocol': 'tfserving',
      'ml.model.name': 'half_plus_two',
      'ml.model.version': '123',
      'ml.batch.size': 3,
      'ml.input.instances': [1, 2, 5],
      'ml.output.predictions': [2.5, 3, 4.5],
      'ml.capture': 'full',
    },
  ],
  [
    'tfserving/named-instances.json',
    {
      'ml.protocol': 'tfserving',
      'ml.model.name': 'sensor',
      'ml.batch.size': 2,
      'ml.input.tag': ['foo', 'bar'],
      'ml.input.signal.0': [1, 3],
      'ml.input.signal.1': [2, 4],
      'ml.input.signal.2': [3, 1],
      'ml.input.sensor.0': [1, 4],
      'ml.input.sensor.1': [2, 5],
      'ml.input.sensor.2': [3, 6],
      'ml.input.sensor.3': [4, 8],
      'ml.output.label': ['ok', 'fault'],
      'ml.output.score': [0.91, 0.64],
      'ml.capture': 'full',
    },
  ],
  [
    'tfserving/columnar.json',
    {
      'ml.protocol': 'tfserving',
      'ml.model.name': 'sensor',
      'ml.model.version': 'stable',
      'ml.batch.size': 2,
      'ml.input.tag': ['foo', 'bar'],
      'ml.input.signal.0': [1, 3],
      'ml.input.signal.1': [2, 4],
      'ml.input.signal.2': [3, 1],
      'ml.output.scores.0': [0.1, 0.7],
      'ml.output.scores.1': [0.9, 0.3],
      'ml.capture': 'full',
    },
  ],
  [
    'tfserving/binary-b64.json',
    {
      'ml.protocol': 'tfserving',
      'ml.model.name': 'captioner',
      'ml.batch.size': 1,
      'ml.input.image.bytes': 11,
      'ml.input.lang': 'en',
      'ml.output.caption': 'a cat',
      'ml.capture': 'full',
    },
  ],
  [
    'tfserving/kserve-v1-iris.json',
    {
      'ml.protocol': 'tfserving',
      'ml.model.name': 'sklearn-iris',
      'ml.batch.size': 2,
      'ml.input.instances.0': [6.8, 6.0],
      'ml.input.instances.1': [2.8, 3.4],
      'ml.input.instances.2': [4.8, 4.5],
      'ml.input.instances.3': [1.4, 1.6],
      'ml.output.predictions': [1, 1],
      'ml.capture': 'full',
    },
  ],
  [
    'tfserving/classify.json',
    {
      'ml.protocol': 'tfserving',
      'ml.model.name': 'census',
      'ml.batch.size': 2,
      'ml.input.age': [31, 58],
      'ml.input.hours': [40, 20],
      'ml.input.country': ['FR', 'FR'],
      'ml.output.results.0': ['yes', 'yes'],
      'ml.output.results.1': [0.2, 0.7],
      'ml.output.results.2': ['no', 'no'],
      'ml.output.results.3': [0.8, 0.3],
      'ml.capture': 'full',
    },
  ],
  [
    'mlflow/dataframe-split.json',
    {
      'ml.protocol': 'mlflow',
      'ml.batch.size': 2,
      'ml.input.tenure': [12, 40],
      'ml.input.plan': ['basic', 'pro'],
      'ml.input.monthly': [19.99, 49.5],
      'ml.output.predictions': [0.12, 0.81],
      'ml.capture': 'full',
    },
  ],
  [
    'mlflow/dataframe-records.json',
    {
      'ml.protocol': 'mlflow',
      'ml.batch.size': 1,
      'ml.input.tenure': 3,
      'ml.input.plan': 'basic',
      'ml.output.label': 'churn',
      'ml.output.score': 0.9,
      'ml.capture': 'full',
    },
  ],
  [
    'mlflow/instances-tensor.json',
    {
      'ml.protocol': 'mlflow',
      'ml.batch.size': 3,
      'ml.input.instances.0': [1, 3, 5],
      'ml.input.instances.1': [2, 4, 6],
      'ml.output.predictions.0': [0.1, 0.5, 0.3],
      'ml.output.predictions.1': [0.9, 0.5, 0.7],
      'ml.capture': 'full',
    },
  ],
  [
    'mlflow/inputs-columnar.json',
    {
      'ml.protocol': 'mlflow',
      'ml.batch.size': 2,
      'ml.input.x': [1.5, 2.5],
      'ml.input.y': [10, 20],
      'ml.output.predictions': [3, 5],
      'ml.capture': 'full',
    },
  ],
  [
    'mlflow/dataframe-split-no-columns.json',
    {
      'ml.protocol': 'mlflow',
      'ml.batch.size': 1,
      'ml.input.dataframe_split.0': 0.5,
      'ml.input.dataframe_split.1': 1.5,
      'ml.output.predictions': 1,
      'ml.capture': 'full',
    },
  ],
  [
    'mlflow/malformed.json',
    { 'ml.protocol': 'mlflow', 'ml.capture': 'skipped', 'ml.capture.reason': 'malformed_body' },
  ],
  [
    'seldon/ndarray-names.json',
    {
      'ml.protocol': 'seldon',
      'ml.model.name': 'income-classifier',
      'ml.request.id': 'g2b3kfl1q8',
      'ml.batch.size': 2,
      'ml.input.age': [39, 50],
      'ml.input.hours': [40, 13],
      'ml.output.p_low': [0.8, 0.4],
      'ml.output.p_high': [0.2, 0.6],
      'ml.capture': 'full',
    },
  ],
  [
    'seldon/tensor-unnamed.json',
    {
      'ml.protocol': 'seldon',
      'ml.batch.size': 1,
      'ml.input.tensor.0': 0.1,
      'ml.input.tensor.1': 0.2,
      'ml.input.tensor.2': 0.3,
      'ml.output.score': 0.42,
      'ml.capture': 'full',
    },
  ],
  [
    'seldon/str-data.json',
    {
      'ml.protocol': 'seldon',
      'ml.batch.size': 1,
      'ml.input.strData': 'the service was great',
      'ml.output.sentiment': 'positive',
      'ml.output.confidence': 0.97,
      'ml.capture': 'full',
    },
  ],
  [
    'seldon/malformed-tensor.json',
    { 'ml.protocol': 'seldon', 'ml.capture': 'skipped', 'ml.capture.reason': 'malformed_body' },
  ],
  [
    'json/flat-object.json',
    {
      'ml.protocol': 'json',
      'ml.batch.size': 1,
      'ml.input.amount': 120.5,
      'ml.input.currency': 'EUR',
      'ml.input.first_time': true,
      'ml.output.fraud': false,
      'ml.output.risk': 0.07,
      'ml.capture': 'full',
    },
  ],
  ['json/array-body.json', { 'ml.capture': 'skipped', 'ml.capture.reason': 'unrecognised_body' }],
];

describe('capture of every protocol', () => {
  it.each(cases)('%s', (file, expected) => {
    expect(captureFixture(loadFixture(file))).toEqual(expected);
  });
});

describe('tensors given as shape + data (addShaped)', () => {
  const columns = (shape: number[], data: unknown): Record<string, unknown> => {
    const t = new FeatureTable();
    addShaped(t, 'x', shape, data);
    return Object.fromEntries(t.features().map((f) => [f.name, f.values]));
  };

  it.each([
    ['one value per row', [3], [1, 'a', null], { x: [1, 'a', null] }],
    ['one column per row, nested', [2, 1], [[1], [2]], { x: [1, 2] }],
    ['several columns, flat', [2, 2], [1, 2, 3, 4], { 'x.0': [1, 3], 'x.1': [2, 4] }],
    ['an object element is kept as JSON text', [2], [{ a: 1 }, 2], { x: ['{"a":1}', 2] }],
    ['a scalar tensor is one row', [], 7, { x: [7] }],
  ])('%s', (_name, shape, data, expected) => {
    expect(columns(shape, data)).toEqual(expected);
  });

  it('copies the column, so later steps never write into the parsed body', () => {
    const data = [1, 2, 3];
    const t = new FeatureTable();
    addShaped(t, 'x', [3], data);
    const [feature] = t.features();
    expect(feature?.values).toEqual(data);
    expect(feature?.values).not.toBe(data);
  });

  it('refuses data that does not fill the shape', () => {
    expect(() => columns([3], [1, 2])).toThrow(MalformedBody);
  });
});

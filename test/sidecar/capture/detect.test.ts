import { describe, expect, it } from 'vitest';
import { codecForBody, pathOf } from '../../../sidecar/capture/detect.js';
import { globToRegExp } from '../../../sidecar/capture/privacy/glob.js';
import { resolveRoute, type RouteOverride } from '../../../sidecar/capture/route-overrides.js';

describe('the path of a request target', () => {
  it.each([
    ['/v2/models/iris/infer?debug=1', '/v2/models/iris/infer'],
    ['/invocations', '/invocations'],
    ['http://model:8080/v1/models/m:predict?x=1', '/v1/models/m:predict'],
  ])('strips the query of %s', (url, path) => {
    expect(pathOf(url)).toBe(path);
  });
});

describe('protocol from the body', () => {
  it.each([
    [{ inputs: [{ name: 'x', shape: [1], datatype: 'FP32', data: [1] }] }, 'oip-v2'],
    [{ dataframe_split: { columns: ['a'], data: [[1]] } }, 'mlflow'],
    [{ dataframe_records: [{ a: 1 }] }, 'mlflow'],
    [{ data: { ndarray: [[1, 2]] } }, 'seldon'],
    [{ data: { tensor: { shape: [1], values: [1] } } }, 'seldon'],
    [{ strData: 'hello' }, 'seldon'],
    [{ instances: [1, 2] }, 'tfserving'],
    [{ inputs: { x: [1, 2] } }, 'tfserving'],
    [{ inputs: [[1, 2]] }, 'tfserving'],
    [{ examples: [{ a: 1 }] }, 'tfserving'],
    [{ data: 'not seldon', amount: 3 }, 'json'],
    [{}, 'json'],
  ])('%j is %s', (body, protocol) => {
    expect(codecForBody(body)?.protocol).toBe(protocol);
  });

  it.each([[[1, 2]], ['text'], [null], [42]])('%j is no protocol', (body) => {
    expect(codecForBody(body)).toBeUndefined();
  });
});

describe('route overrides', () => {
  const overrides: RouteOverride[] = [
    {
      pattern: '/score*',
      test: globToRegExp('/score*'),
      info: { protocol: 'json', modelName: 'fraud', modelVersion: '4' },
    },
    { pattern: '/invocations', test: globToRegExp('/invocations'), info: { modelName: 'churn' } },
  ];
  it.each([
    ['/score/v2', { protocol: 'json', modelName: 'fraud', modelVersion: '4' }],
    ['/invocations', { protocol: 'mlflow', modelName: 'churn' }],
    ['/v2/models/iris/infer', { protocol: 'oip-v2', modelName: 'iris' }],
  ])('%s', (path, expected) => {
    expect(resolveRoute(path, overrides)).toEqual(expected);
  });
});

import { describe, expect, it } from 'vitest';
import { modelRoute, type ModelRoute } from '../../../sidecar/proxy/model-path.js';

/** One reading of a serving path, shared by span naming (route, ml.model.*) and capture (protocol). */
describe('modelRoute', () => {
  it.each<[string, string, ModelRoute]>([
    // Open Inference Protocol / KServe v2 / Triton
    ['OIP v2', '/v2/models/bert/infer', { protocol: 'oip-v2', modelName: 'bert', route: '/v2/models/{model}/infer' }],
    [
      'OIP v2',
      '/v2/models/bert/versions/2/infer',
      {
        protocol: 'oip-v2',
        modelName: 'bert',
        modelVersion: '2',
        route: '/v2/models/{model}/versions/{version}/infer',
      },
    ],
    ['OIP v2', '/v2/models/bert/infer/', { protocol: 'oip-v2', modelName: 'bert', route: '/v2/models/{model}/infer' }],
    [
      'OIP v2',
      '/v2/models/my%20model/infer',
      { protocol: 'oip-v2', modelName: 'my model', route: '/v2/models/{model}/infer' },
    ],
    ['OIP v2', '/v2/models/a%2Fb/infer', { protocol: 'oip-v2', modelName: 'a/b', route: '/v2/models/{model}/infer' }],
    [
      'OIP v2',
      '/v2/models/bad%zz/infer',
      { protocol: 'oip-v2', modelName: 'bad%zz', route: '/v2/models/{model}/infer' },
    ],
    ['OIP v2, not inference', '/v2/models/bert/ready', { modelName: 'bert', route: '/v2/models/{model}/ready' }],
    ['OIP v2, not inference', '/v2/models/iris/ready', { modelName: 'iris', route: '/v2/models/{model}/ready' }],
    ['OIP v2, not inference', '/v2/models/bert', { modelName: 'bert', route: '/v2/models/{model}' }],
    [
      'OIP v2, not inference',
      '/v2/models/my%20model/generate',
      { modelName: 'my model', route: '/v2/models/{model}/generate' },
    ],
    [
      'OIP v2, not inference',
      '/v2/models/llm/versions/1/generate_stream',
      { modelName: 'llm', modelVersion: '1', route: '/v2/models/{model}/versions/{version}/generate_stream' },
    ],
    ['OIP v2 server', '/v2/health/ready', { route: '/v2/health/ready' }],
    ['OIP v2 server', '/v2/health/live', { route: '/v2/health/live' }],
    ['OIP v2 server', '/v2', { route: '/v2' }],
    ['OIP v2, unknown action', '/v2/models/bert/unknown-action', {}],
    // TensorFlow Serving / KServe v1
    [
      'TF Serving',
      '/v1/models/resnet:predict',
      { protocol: 'tfserving', modelName: 'resnet', route: '/v1/models/{model}:predict' },
    ],
    [
      'TF Serving',
      '/v1/models/half_plus_two/versions/123:predict',
      {
        protocol: 'tfserving',
        modelName: 'half_plus_two',
        modelVersion: '123',
        route: '/v1/models/{model}/versions/{version}:predict',
      },
    ],
    [
      'TF Serving',
      '/v1/models/resnet/versions/3:classify',
      {
        protocol: 'tfserving',
        modelName: 'resnet',
        modelVersion: '3',
        route: '/v1/models/{model}/versions/{version}:classify',
      },
    ],
    [
      'TF Serving, a label for the version',
      '/v1/models/resnet/labels/stable:predict',
      {
        protocol: 'tfserving',
        modelName: 'resnet',
        modelVersion: 'stable',
        route: '/v1/models/{model}/labels/{version}:predict',
      },
    ],
    [
      'TF Serving, a label for the version',
      '/v1/models/census/labels/canary:classify',
      {
        protocol: 'tfserving',
        modelName: 'census',
        modelVersion: 'canary',
        route: '/v1/models/{model}/labels/{version}:classify',
      },
    ],
    [
      'TF Serving',
      '/v1/models/census:regress',
      { protocol: 'tfserving', modelName: 'census', route: '/v1/models/{model}:regress' },
    ],
    [
      'KServe v1',
      '/v1/models/census:explain',
      { protocol: 'tfserving', modelName: 'census', route: '/v1/models/{model}:explain' },
    ],
    [
      'TF Serving, not inference',
      '/v1/models/resnet/metadata',
      { modelName: 'resnet', route: '/v1/models/{model}/metadata' },
    ],
    ['TF Serving, not inference', '/v1/models/resnet', { modelName: 'resnet', route: '/v1/models/{model}' }],
    ['TF Serving, unknown verb', '/v1/models/resnet:train', {}],
    // MLflow
    ['MLflow', '/invocations', { protocol: 'mlflow', route: '/invocations' }],
    [
      'MLflow behind a prefix (no route: the prefix may hold ids)',
      '/serving-endpoints/churn/invocations',
      { protocol: 'mlflow' },
    ],
    [
      'MLflow behind a prefix (no route: the prefix may hold ids)',
      '/model/churn/3/invocations',
      { protocol: 'mlflow' },
    ],
    ['not MLflow', '/invocations/extra', {}],
    // Seldon Core v1
    ['Seldon', '/api/v1.0/predictions', { protocol: 'seldon', route: '/api/v1.0/predictions' }],
    ['Seldon', '/api/v0.1/predictions', { protocol: 'seldon', route: '/api/v0.1/predictions' }],
    [
      'Seldon behind its ingress',
      '/seldon/prod/income/api/v1.0/predictions',
      { protocol: 'seldon', modelName: 'income', route: '/seldon/{namespace}/{model}/api/v1.0/predictions' },
    ],
    [
      'Seldon behind its ingress',
      '/seldon/prod/income/api/v0.1/predictions',
      { protocol: 'seldon', modelName: 'income', route: '/seldon/{namespace}/{model}/api/v0.1/predictions' },
    ],
    ['not Seldon (no such API version)', '/api/v1.1/predictions', {}],
    ['not Seldon', '/seldon/prod/api/v1.0/predictions', {}],
    // Plain JSON: the path names nothing, the body decides.
    ['JSON', '/predict', {}],
    ['JSON', '/score/fraud', {}],
    ['JSON', '/', {}],
  ])('%s: %s', (_kind, path, expected) => {
    expect(modelRoute(path)).toEqual(expected);
  });

  it('hands out a fresh object each time (callers may add to it)', () => {
    const a = modelRoute('/invocations');
    a.modelName = 'churn';
    expect(modelRoute('/invocations')).toEqual({ protocol: 'mlflow', route: '/invocations' });
  });
});

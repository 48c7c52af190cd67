import { describe, expect, it } from 'vitest';
import type { Attributes } from '../../../shared/span-record.js';
import { captureExchange } from '../../../sidecar/capture/capture-pipeline.js';
import type { BodyProblem, BodyResult } from '../../../sidecar/capture/body-reader.js';
import type { ModelNameTable } from '../../../sidecar/capture/feature-names.js';
import { Pseudonymiser, SUBJECT_PURPOSE } from '../../../shared/pseudonyms/hmac.js';
import { DEFAULT_PII } from '../../../sidecar/capture/privacy/rules.js';
import { DEFAULT_LIMITS } from '../../../sidecar/capture/limits.js';
import { codecForBody } from '../../../sidecar/capture/detect.js';
import { attributeSink } from '../../../sidecar/capture/flatten.js';
import { captureFixture, loadFixture, pipelineSettings } from './helpers.js';

const ok = (json: unknown): BodyResult => ({ ok: true, json });
const p = new Pseudonymiser('k1', Buffer.from('a-test-key-that-is-long-enough!!'));
const privacy = { defaultAction: 'keep' as const, rules: [], pii: DEFAULT_PII, pseudonymiser: p };

describe('capture pipeline', () => {
  it.each<[string, BodyResult, Record<string, unknown>]>([
    [
      'a response over the limit',
      { ok: false, reason: 'too_large' },
      { 'ml.capture': 'truncated', 'ml.capture.reason': 'response_too_large' },
    ],
    [
      'a response that is not JSON',
      { ok: false, reason: 'not_json' },
      { 'ml.capture': 'truncated', 'ml.capture.reason': 'response_not_json' },
    ],
    [
      'a response of another shape',
      ok({ error: 'boom' }),
      { 'ml.capture': 'truncated', 'ml.capture.reason': 'response_malformed_body' },
    ],
  ])('keeps the inputs when the response cannot be read: %s', (_name, response, expected) => {
    const attrs = captureExchange(pipelineSettings(), {
      route: { protocol: 'tfserving' },
      request: ok({ instances: [1, 2] }),
      response,
    });
    expect(attrs).toEqual({
      'ml.protocol': 'tfserving',
      'ml.batch.size': 2,
      'ml.input.instances': [1, 2],
      ...expected,
    });
  });

  it('captures only the inputs when there is no prediction (error status)', () => {
    const attrs = captureExchange(pipelineSettings(), { route: {}, request: ok({ a: 1 }) });
    expect(attrs).toEqual({ 'ml.protocol': 'json', 'ml.batch.size': 1, 'ml.input.a': 1, 'ml.capture': 'full' });
  });

  it.each<[BodyProblem]>([['no_body'], ['not_json'], ['invalid_json'], ['too_large'], ['encoded_body']])(
    'skips a request that cannot be read: %s',
    (reason) => {
      const attrs = captureExchange(pipelineSettings(), {
        route: { protocol: 'oip-v2', modelName: 'm' },
        request: { ok: false, reason },
      });
      expect(attrs).toEqual({
        'ml.protocol': 'oip-v2',
        'ml.model.name': 'm',
        'ml.capture': 'skipped',
        'ml.capture.reason': reason,
      });
    },
  );

  it.each<[string, ModelNameTable, Record<string, unknown>]>([
    [
      'a list renames the unnamed tensor',
      { iris: { inputs: ['sepal_l', 'sepal_w', 'petal_l', 'petal_w'], outputs: ['species'] } },
      {
        'ml.input.sepal_l': [6.8, 6.0],
        'ml.input.sepal_w': [2.8, 3.4],
        'ml.input.petal_l': [4.8, 4.5],
        'ml.input.petal_w': [1.4, 1.6],
        'ml.output.species': [1, 2],
      },
    ],
    [
      'a mapping names the tensor',
      { iris: { inputs: { 'input-0': ['a', 'b'] } } },
      {
        'ml.input.a': [6.8, 6.0],
        'ml.input.b': [2.8, 3.4],
        'ml.input.input-0.2': [4.8, 4.5],
        'ml.input.input-0.3': [1.4, 1.6],
        'ml.output.output-0': [1, 2],
      },
    ],
    [
      '* applies to any model',
      { '*': { outputs: ['species'] } },
      {
        'ml.input.input-0.0': [6.8, 6.0],
        'ml.input.input-0.1': [2.8, 3.4],
        'ml.input.input-0.2': [4.8, 4.5],
        'ml.input.input-0.3': [1.4, 1.6],
        'ml.output.species': [1, 2],
      },
    ],
  ])('per-model feature names: %s', (_name, models, features) => {
    const attrs = captureFixture(loadFixture('oip-v2/batch-unnamed-2d.json'), pipelineSettings({ models }));
    expect(
      Object.fromEntries(
        Object.entries(attrs).filter(([k]) => k.startsWith('ml.input.') || k.startsWith('ml.output.')),
      ),
    ).toEqual(features);
  });

  it('truncates per limits and says which', () => {
    const limits = { maxBytes: 1 << 20, maxFeatures: 2, maxValues: 2, maxString: 4 };
    const attrs = captureExchange(pipelineSettings({ limits }), {
      route: {},
      request: ok({
        dataframe_records: [
          { a: 'long text', b: 1, c: 2 },
          { a: 'x', b: 2, c: 3 },
          { a: 'y', b: 3, c: 4 },
        ],
      }),
    });
    expect(attrs).toEqual({
      'ml.protocol': 'mlflow',
      'ml.batch.size': 3,
      'ml.input.a': ['long', 'x'],
      'ml.input.b': [1, 2],
      'ml.capture': 'truncated',
      'ml.capture.reason': 'max_features,max_values,max_string',
    });
  });

  const wide = Array.from({ length: 600 }, (_, i) => i / 4);
  it.each<[string, unknown, string]>([
    ['OIP tensor', { inputs: [{ name: 'x', shape: [1, 600], datatype: 'FP32', data: wide }] }, 'x'],
    ['OIP nested tensor', { inputs: [{ name: 'x', shape: [1, 600], datatype: 'FP32', data: [wide] }] }, 'x'],
    ['Seldon tensor', { data: { tensor: { shape: [1, 600], values: wide } } }, 'tensor'],
    ['Seldon ndarray', { data: { ndarray: [wide] } }, 'ndarray'],
    ['TF Serving instances', { instances: [wide] }, 'instances'],
    ['MLflow dataframe_split without columns', { dataframe_split: { data: [wide] } }, 'dataframe_split'],
  ])('reads no more columns of an unnamed tensor than it keeps: %s', (_name, body, tensor) => {
    const limits = { ...DEFAULT_LIMITS, maxFeatures: 5 };
    const attrs = captureExchange(pipelineSettings({ limits }), { route: {}, request: ok(body) });
    const inputs = Object.entries(attrs).filter(([k]) => k.startsWith('ml.input.'));
    expect(inputs).toEqual([0, 1, 2, 3, 4].map((j) => [`ml.input.${tensor}.${j}`, j / 4]));
    expect(attrs).toMatchObject({ 'ml.capture': 'truncated', 'ml.capture.reason': 'max_features' });
    // The protocol reader stopped at the cap rather than building all 600 columns.
    const codec = codecForBody(body);
    expect(codec?.request(body, 6)).toMatchObject({ capped: true, features: { length: 6 } });
    expect(codec?.request(body).features).toHaveLength(600);
  });

  it('still finds the subject in a named input after a capped tensor, and keeps the first columns', () => {
    const limits = { ...DEFAULT_LIMITS, maxFeatures: 3 };
    const request = ok({
      inputs: [
        { name: 'x', shape: [1, 600], datatype: 'FP32', data: wide },
        { name: 'user', shape: [1], datatype: 'BYTES', data: ['subject-7'] },
      ],
    });
    const features: Attributes = {};
    const attrs = captureExchange(
      pipelineSettings({ limits, subjectField: ['user'], privacy }),
      { route: {}, request },
      attributeSink(features),
    );
    expect(attrs['enduser.pseudo.id']).toBe(p.pseudonymise('subject-7', SUBJECT_PURPOSE));
    expect(attrs['ml.privacy.redacted']).toEqual(['ml.input.user']);
    expect(attrs['ml.capture.reason']).toBe('max_features');
    // The features went where they were asked to go, none beside the rest.
    expect(features).toEqual({ 'ml.input.x.0': 0, 'ml.input.x.1': 0.25, 'ml.input.x.2': 0.5 });
    expect(Object.keys(attrs).filter((k) => k.startsWith('ml.input.'))).toEqual([]);
  });

  it.each<[string, string[], unknown, Record<string, unknown>]>([
    [
      'a body field names the subject',
      ['user'],
      { user: 'alice', amount: 3 },
      { 'enduser.pseudo.id': p.pseudonymise('alice', 'enduser.pseudo.id'), 'ml.input.amount': 3 },
    ],
    [
      'a nested field',
      ['parameters', 'user'],
      { parameters: { user: 'bob' }, amount: 3 },
      { 'enduser.pseudo.id': p.pseudonymise('bob', 'enduser.pseudo.id'), 'ml.input.amount': 3 },
    ],
    [
      'one subject per row',
      ['user'],
      {
        dataframe_records: [
          { user: 'a', x: 1 },
          { user: 'b', x: 2 },
          { user: 'a', x: 3 },
        ],
      },
      {
        'enduser.pseudo.id': [
          p.pseudonymise('a', 'enduser.pseudo.id'),
          p.pseudonymise('b', 'enduser.pseudo.id'),
          p.pseudonymise('a', 'enduser.pseudo.id'),
        ],
        'ml.input.x': [1, 2, 3],
      },
    ],
  ])('the subject: %s', (_name, field, body, expected) => {
    const attrs = captureExchange(pipelineSettings({ privacy, subjectField: field }), { route: {}, request: ok(body) });
    expect(attrs).toMatchObject(expected);
    expect(JSON.stringify(attrs)).not.toMatch(/"(alice|bob|a|b)"/);
    if (field.length === 1) expect(attrs['ml.privacy.redacted']).toEqual(['ml.input.user']);
  });

  it('prefers the subject header and never records its raw value', () => {
    const attrs = captureExchange(pipelineSettings({ privacy, subjectField: ['user'] }), {
      route: {},
      request: ok({ user: 'alice', a: 1 }),
      subject: 'carol',
    });
    expect(attrs['enduser.pseudo.id']).toBe(p.pseudonymise('carol', 'enduser.pseudo.id'));
    expect(JSON.stringify(attrs)).not.toContain('carol');
    expect(JSON.stringify(attrs)).not.toContain('alice');
  });

  it('takes the protocol request id and the model from the body when the path has none', () => {
    const attrs = captureExchange(pipelineSettings(), {
      route: {},
      request: ok({ id: 'abc', inputs: [{ name: 'x', shape: [1], datatype: 'FP32', data: [1] }] }),
      response: ok({
        model_name: 'm',
        model_version: '2',
        outputs: [{ name: 'y', shape: [1], datatype: 'FP32', data: [0.5] }],
      }),
    });
    expect(attrs).toMatchObject({
      'ml.protocol': 'oip-v2',
      'ml.request.id': 'abc',
      'ml.model.name': 'm',
      'ml.model.version': '2',
      'ml.input.x': 1,
      'ml.output.y': 0.5,
    });
  });
});

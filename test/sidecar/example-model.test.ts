import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildExampleModelApp, rowsFromInputs, score, startExampleModel, weight } from '../../sidecar/example-model.js';

describe('example model core', () => {
  it.each([
    [
      'one input [2,3]',
      [{ name: 'f', shape: [2, 3], datatype: 'FP32', data: [1, 2, 3, 4, 5, 6] }],
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
    ],
    [
      'nested data',
      [
        {
          name: 'f',
          shape: [2, 2],
          datatype: 'FP32',
          data: [
            [1, 2],
            [3, 4],
          ],
        },
      ],
      [
        [1, 2],
        [3, 4],
      ],
    ],
    [
      'named 1-D inputs become columns',
      [
        { name: 'age', shape: [2], datatype: 'INT64', data: [30, 40] },
        { name: 'income', shape: [2, 1], datatype: 'FP64', data: [1.5, 2.5] },
      ],
      [
        [30, 1.5],
        [40, 2.5],
      ],
    ],
    ['booleans are 0/1', [{ name: 'b', shape: [1, 2], datatype: 'BOOL', data: [true, false] }], [[1, 0]]],
  ])('rows from %s', (_name, inputs, rows) => {
    expect(rowsFromInputs(inputs)).toEqual(rows);
  });

  it.each([
    ['no inputs', [], /non-empty/],
    ['a string tensor', [{ name: 'f', shape: [1], datatype: 'BYTES', data: ['a'] }], /numeric/],
    [
      'data not matching the shape',
      [{ name: 'f', shape: [2, 2], datatype: 'FP32', data: [1, 2, 3] }],
      /4 finite numbers/,
    ],
    [
      'different batch sizes',
      [
        { name: 'a', shape: [2], datatype: 'FP32', data: [1, 2] },
        { name: 'b', shape: [3], datatype: 'FP32', data: [1, 2, 3] },
      ],
      /batch size/,
    ],
  ])('rejects %s', (_name, inputs, message) => {
    expect(() => rowsFromInputs(inputs)).toThrow(message);
  });

  it('scores with the documented logistic formula', () => {
    const row = [1, 2, 3];
    const z = -0.1 + row.reduce((s, x, j) => s + weight(j) * x, 0);
    expect(score([row])[0]).toBeCloseTo(1 / (1 + Math.exp(-z)), 12);
    expect([weight(0), weight(1), weight(2)]).toEqual([0.8, -0.4, 0.8 / 3]);
  });
});

describe('example model over HTTP (Open Inference Protocol)', () => {
  const app = buildExampleModelApp({ model: 'credit', version: '2' });
  afterAll(() => app.close());

  it('answers infer with probability and label outputs and echoes the id', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v2/models/credit/versions/2/infer',
      payload: { id: 'r1', inputs: [{ name: 'features', shape: [2, 2], datatype: 'FP32', data: [0, 0, 10, 0] }] },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      model_name: 'credit',
      model_version: '2',
      id: 'r1',
      outputs: [
        // Rows [0,0] and [10,0]: z = -0.1 and z = -0.1 + 0.8 * 10.
        {
          name: 'probability',
          datatype: 'FP32',
          shape: [2, 1],
          data: [-0.1, 7.9].map((z) => Math.round(1e6 / (1 + Math.exp(-z))) / 1e6),
        },
        { name: 'label', datatype: 'INT64', shape: [2, 1], data: [0, 1] },
      ],
    });
  });

  it.each([
    ['GET', '/v2/health/ready', 200],
    ['GET', '/v2/health/live', 200],
    ['GET', '/v2/models/credit', 200],
    ['GET', '/v2/models/credit/ready', 200],
    ['GET', '/v2/models/other/ready', 404],
    ['POST', '/v2/models/other/infer', 404],
    ['POST', '/v2/models/credit/versions/9/infer', 404],
  ] as const)('%s %s → %d', async (method, url, status) => {
    const res = await app.inject({ method, url, ...(method === 'POST' ? { payload: { inputs: [] } } : {}) });
    expect(res.statusCode).toBe(status);
  });

  it('answers bad input with 400 and an OIP error', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v2/models/credit/infer',
      payload: { inputs: [{ name: 'f', shape: [1], datatype: 'BYTES', data: ['x'] }] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'input "f": datatype must be numeric (FP32, INT64, …)' });
  });
});

describe('startExampleModel', () => {
  let server: { url: string; close(): Promise<void> };
  beforeAll(async () => {
    server = await startExampleModel({ port: 0 });
  });
  afterAll(() => server.close());

  it('listens on loopback and serves the default model', async () => {
    const res = await request(`${server.url}/v2/models/example/ready`);
    expect(res.statusCode).toBe(200);
    expect(await res.body.json()).toEqual({ ready: true });
  });
});

import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import { collectorErrorHandler, collectorNotFoundHandler } from '../../../collector/errors/error-handler.js';
import { routeErrors } from '../../../collector/errors/route-errors.js';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const fail = (error: Error) => async () => {
  throw error;
};

/** One app: the handler at the root, an area's scope declaring its words, and a scope declaring none. */
async function build(): Promise<FastifyInstance> {
  const a = Fastify({ logger: false });
  a.setErrorHandler(collectorErrorHandler);
  a.setNotFoundHandler(collectorNotFoundHandler);
  await a.register(async (scope) => {
    routeErrors(scope, {
      bodyCode: 'invalid_reference',
      bodyLimitSetting: 'INFERTRACE_X_MAX_BYTES',
      mediaTypes: 'application/json',
      storeFailure: 'the store could not answer',
      validation: (err) => new AppError('unknown_parameter', `area words: ${err.message}`),
    });
    scope.post('/area/body', { bodyLimit: 10 }, async () => ({ ok: true }));
    scope.get(
      '/area/query',
      { schema: { querystring: { type: 'object', properties: { n: { type: 'integer' } } } } },
      async () => ({}),
    );
    scope.get('/area/crash', fail(new Error('SQLITE_IOERR at /secret/path.db')));
  });
  await a.register(async (scope) => {
    scope.get('/plain/crash', fail(new Error('boom /secret/path.db')));
    scope.get('/plain/app-error', fail(new AppError('store_unavailable', 'not open yet', { retryAfterSeconds: 5 })));
    scope.get(
      '/plain/fastify-4xx',
      fail(Object.assign(new Error('bad header'), { statusCode: 400, code: 'FST_ERR_SOMETHING' })),
    );
    scope.get(
      '/plain/query',
      { schema: { querystring: { type: 'object', properties: { n: { type: 'integer' } } } } },
      async () => ({}),
    );
  });
  return a;
}

describe('the collector error handler', () => {
  it.each([
    [
      'an AppError as it is, with Retry-After',
      'GET',
      '/plain/app-error',
      undefined,
      undefined,
      503,
      'store_unavailable',
      /not open yet/,
    ],
    [
      "an area's words for a failed schema check",
      'GET',
      '/area/query?n=x',
      undefined,
      undefined,
      400,
      'unknown_parameter',
      /^area words/,
    ],
    [
      'invalid_parameter for a schema check elsewhere',
      'GET',
      '/plain/query?n=x',
      undefined,
      undefined,
      400,
      'invalid_parameter',
      /integer/,
    ],
    [
      'a body over the limit, naming the setting',
      'POST',
      '/area/body',
      'application/json',
      '{"a":"0123456789"}',
      413,
      'body_too_large',
      /larger than 10 bytes \(INFERTRACE_X_MAX_BYTES\)/,
    ],
    [
      'an unsupported media type, naming what is accepted',
      'POST',
      '/area/body',
      'application/xml',
      '<a/>',
      415,
      'unsupported_media_type',
      /send application\/json/,
    ],
    [
      "invalid JSON with the area's code",
      'POST',
      '/area/body',
      'application/json',
      '{"a":',
      400,
      'invalid_reference',
      /not valid JSON/,
    ],
    [
      "an unexpected failure as the store's, hiding the cause",
      'GET',
      '/area/crash',
      undefined,
      undefined,
      500,
      'storage_failed',
      /^the store could not answer$/,
    ],
    [
      'an unexpected failure elsewhere as internal',
      'GET',
      '/plain/crash',
      undefined,
      undefined,
      500,
      'internal',
      /log has the cause/,
    ],
    [
      "fastify's own 4xx codes never reach the client",
      'GET',
      '/plain/fastify-4xx',
      undefined,
      undefined,
      400,
      'bad_request',
      /bad header/,
    ],
    ['no route', 'GET', '/nowhere', undefined, undefined, 404, 'not_found', /.+/],
  ])('answers %s', async (_name, method, url, type, payload, status, code, message) => {
    app = await build();
    const res = await app.inject({
      method: method as 'GET' | 'POST',
      url,
      ...(type === undefined ? {} : { headers: { 'content-type': type }, payload }),
    });
    expect(res.statusCode).toBe(status);
    const body = res.json() as { error: { code: string; message: string } };
    expect(body.error.code).toBe(code);
    expect(body.error.message).toMatch(message);
    expect(res.body).not.toContain('/secret/path.db');
    if (code === 'store_unavailable') expect(res.headers['retry-after']).toBe('5');
  });

  it("wraps the body in the scope's envelope", async () => {
    app = Fastify({ logger: false });
    app.setErrorHandler(collectorErrorHandler);
    await app.register(async (scope) => {
      routeErrors(scope, { envelope: (e) => ({ data: null, errors: [{ code: e.status, msg: e.message }] }) });
      scope.get('/x', fail(new AppError('trace_not_found', 'gone')));
    });
    const res = await app.inject({ method: 'GET', url: '/x' });
    expect([res.statusCode, res.json()]).toEqual([404, { data: null, errors: [{ code: 404, msg: 'gone' }] }]);
  });
});

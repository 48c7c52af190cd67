import { describe, expect, it } from 'vitest';
import { stableCode } from '../../shared/errors.js';

describe('stableCode', () => {
  it.each([
    ['a project code', { code: 'trace_not_found' }, 404, 'trace_not_found'],
    ['fastify body too large', { code: 'FST_ERR_CTP_BODY_TOO_LARGE' }, 413, 'body_too_large'],
    ['fastify media type', { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' }, 415, 'unsupported_media_type'],
    ['fastify validation', { code: 'FST_ERR_VALIDATION' }, 400, 'bad_request'],
    ['no code, 4xx', {}, 400, 'bad_request'],
    ['a Node code, 5xx', { code: 'ECONNRESET' }, 500, 'internal'],
    ['no code, 5xx', {}, 503, 'internal'],
  ])('%s → %s', (_name, error, status, code) => {
    expect(stableCode(error, status)).toBe(code);
  });
});

import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import type { SearchQueryString } from '../../../collector/query/search-params.js';
import { DEFAULT_LIMIT, parseSearch } from '../../../collector/query/search-params.js';

const MS = 1_000_000n;

describe('parseSearch', () => {
  it.each<[string, SearchQueryString, object]>([
    ['nothing: the default limit', {}, { limit: DEFAULT_LIMIT }],
    ['empty values are absent', { service: '', tag: '', error: ' ' }, { limit: DEFAULT_LIMIT }],
    [
      'names',
      { service: 's', operation: 'op', model: 'iris', version: '2' },
      { service: 's', operation: 'op', model: 'iris', version: '2' },
    ],
    [
      'durations',
      { minDuration: '250ms', maxDuration: '1.5s' },
      { minDurationNano: 250n * MS, maxDurationNano: 1500n * MS },
    ],
    [
      'bare milliseconds and µs',
      { minDuration: '12', maxDuration: '12000us' },
      { minDurationNano: 12n * MS, maxDurationNano: 12n * MS },
    ],
    [
      'epoch ms',
      { start: '1714564800000', end: '1714564801000' },
      { startNano: 1714564800000n * MS, endNano: 1714564801000n * MS },
    ],
    [
      'ISO 8601 with zones',
      { start: '2024-05-01T12:00:00Z', end: '2024-05-01T14:00:00.5+02:00' },
      { startNano: 1714564800000n * MS, endNano: 1714564800500n * MS },
    ],
    ['one tag', { tag: 'http.response.status_code:500' }, { tags: { 'http.response.status_code': '500' } }],
    [
      'repeated tags, value with a colon',
      { tag: ['a:1', 'url.full:http://x:80/'] },
      { tags: { a: '1', 'url.full': 'http://x:80/' } },
    ],
    ['error true', { error: 'true' }, { error: true }],
    ['error 0', { error: '0' }, { error: false }],
    ['limit', { limit: '1000' }, { limit: 1000 }],
  ])('%s', (_name, q, want) => {
    expect(parseSearch(q)).toMatchObject(want);
  });

  it.each<[string, SearchQueryString, string]>([
    ['limit 0', { limit: '0' }, 'query parameter "limit" must be a whole number from 1 to 1000, got "0"'],
    ['limit too big', { limit: '1001' }, '"limit"'],
    ['limit not a number', { limit: '10x' }, '"limit"'],
    ['a bad duration', { minDuration: 'fast' }, 'query parameter "minDuration" must be a duration such as 250ms'],
    ['min over max', { minDuration: '2s', maxDuration: '1s' }, '"minDuration" (2s) must not exceed "maxDuration" (1s)'],
    [
      'a bad time',
      { start: 'yesterday' },
      'query parameter "start" must be epoch milliseconds (e.g. 1718000000000) or an RFC 3339 time',
    ],
    ['microseconds given as start', { end: '1714564800000000' }, 'looks like micro- or nanoseconds'],
    ['an impossible date', { start: '2024-02-31' }, '"start"'],
    [
      'start after end',
      { start: '2024-05-02', end: '2024-05-01' },
      '"start" (2024-05-02) must not be later than "end"',
    ],
    ['a tag without a colon', { tag: 'oops' }, 'query parameter "tag" must be key:value'],
    ['a tag without a key', { tag: ':v' }, '"tag"'],
    ['one key twice', { tag: ['a:1', 'a:2'] }, 'names "a" twice'],
    ['error maybe', { error: 'maybe' }, 'query parameter "error" must be true or false, got "maybe"'],
  ])('rejects %s', (_name, q, message) => {
    let caught: unknown;
    try {
      parseSearch(q);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).code).toBe('invalid_parameter');
    expect((caught as AppError).status).toBe(400);
    expect((caught as AppError).message).toContain(message);
  });
});

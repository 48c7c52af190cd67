import { describe, expect, it } from 'vitest';
import { backoffMs, classify, parseRetryAfter, retryDelayMs } from '../../../collector/forwarding/retry-policy.js';

const backoff = { baseMs: 500, maxMs: 60_000 };

describe('retry policy', () => {
  it.each([
    [200, 'delivered'],
    [202, 'delivered'],
    [204, 'delivered'],
    [400, 'reject'],
    [401, 'reject'],
    [404, 'reject'],
    [413, 'reject'],
    [301, 'reject'],
    [408, 'retry'],
    [429, 'retry'],
    [500, 'retry'],
    [502, 'retry'],
    [503, 'retry'],
    [504, 'retry'],
    [undefined, 'retry'],
  ] as const)('answers %s → %s', (status, want) => {
    expect(classify(status)).toBe(want);
  });

  const now = Date.parse('2026-01-01T00:00:00Z');
  it.each([
    ['delay-seconds', '3', 3_000],
    ['zero', '0', 0],
    ['an HTTP-date', 'Thu, 01 Jan 2026 00:00:30 GMT', 30_000],
    ['a date in the past', 'Wed, 31 Dec 2025 23:00:00 GMT', 0],
    ['the first of several', ['2', '9'], 2_000],
    ['nothing', undefined, undefined],
    ['garbage', 'soon', undefined],
    ['a negative number', '-5', undefined],
  ] as const)('reads Retry-After %s', (_label, header, want) => {
    expect(parseRetryAfter(header as string | string[] | undefined, now)).toBe(want);
  });

  it.each([
    [1, 0.5, 250],
    [2, 0.5, 500],
    [3, 0.999, 1_998],
    [10, 0.5, 30_000],
    [40, 0.99, 59_400],
    [1, 0, 1],
  ])('backs off attempt %i with random %f → %i ms', (attempt, random, want) => {
    expect(backoffMs(attempt, backoff, random)).toBe(want);
  });

  it.each([
    ['Retry-After wins over backoff', 4_000, 4_000],
    ['Retry-After is capped at the longest backoff', 3_600_000, 60_000],
    ['backoff without Retry-After', undefined, 250],
  ])('%s', (_label, retryAfter, want) => {
    expect(retryDelayMs(1, retryAfter, backoff, 0.5)).toBe(want);
  });
});

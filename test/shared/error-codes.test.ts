import { describe, expect, it } from 'vitest';
import { ERROR_CODES, isErrorCode, statusOf } from '../../shared/error-codes.js';
import { AppError, errorBody } from '../../shared/errors.js';

describe('the error registry', () => {
  it.each(Object.entries(ERROR_CODES))('%s is lower_snake_case, has an HTTP error status and a one-line meaning', (code, spec) => {
    expect(code).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
    expect(spec.status).toBeGreaterThanOrEqual(400);
    expect(spec.status).toBeLessThan(600);
    expect(spec.meaning).not.toContain('\n');
    expect(spec.meaning.length).toBeGreaterThan(10);
  });

  it.each([
    // Synonyms that were merged into one code each.
    ['invalid_query', false],
    ['drift_unavailable', false],
    ['drift_storage_failed', false],
    ['feedback_storage_failed', false],
    ['reference_too_large', false],
    ['invalid_parameter', true],
    ['store_unavailable', true],
    ['FST_ERR_VALIDATION', false],
    ['toString', false],
  ])('%s is a registered code: %s', (code, known) => {
    expect(isErrorCode(code)).toBe(known);
  });

  it.each([
    ['trace_not_found', 404],
    ['store_unavailable', 503],
    ['db_full', 507],
    ['upstream_timeout', 504],
  ] as const)('an AppError of %s has status %i and the JSON shape every API uses', (code, status) => {
    const e = new AppError(code, 'what to do', { retryAfterSeconds: 5 });
    expect([e.status, statusOf(code), e.retryAfterSeconds]).toEqual([status, status, 5]);
    expect(JSON.parse(JSON.stringify(e))).toEqual({ error: { code, message: 'what to do' } });
    expect(errorBody(code, 'x')).toEqual({ error: { code, message: 'x' } });
  });
});

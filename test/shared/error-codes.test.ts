import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, isErrorCode } from '../../shared/error-codes.js';
import { AppError, errorBody } from '../../shared/errors.js';
import { EXIT } from '../../shared/exit-codes.js';
import { repoRoot } from '../support/repo-root.js';

describe('the error registry', () => {
  it.each(Object.entries(ERROR_CODES))(
    '%s is lower_snake_case, has an HTTP error status and a one-line meaning',
    (code, spec) => {
      expect(code).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
      expect(spec.status).toBeGreaterThanOrEqual(400);
      expect(spec.status).toBeLessThan(600);
      expect(spec.meaning).not.toContain('\n');
      expect(spec.meaning.length).toBeGreaterThan(10);
    },
  );

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
    expect([e.status, ERROR_CODES[code].status, e.retryAfterSeconds]).toEqual([status, status, 5]);
    expect(JSON.parse(JSON.stringify(e))).toEqual({ error: { code, message: 'what to do' } });
    expect(errorBody(code, 'x')).toEqual({ error: { code, message: 'x' } });
  });
});

describe('docs/errors.md', () => {
  const doc = readFileSync(join(repoRoot, 'docs', 'errors.md'), 'utf8');

  it.each(Object.entries(ERROR_CODES))('lists %s with its status', (code, spec) => {
    expect(doc).toContain(`| \`${code}\` | ${spec.status} |`);
  });

  it.each(Object.entries(EXIT))('lists exit code %s (%i)', (_name, value) => {
    expect(doc).toMatch(new RegExp(`^\\| ${value} \\|`, 'm'));
  });
});

import { AppError } from '../../shared/errors.js';

interface SchemaFailure {
  validation?: readonly { instancePath: string; keyword: string; message?: string; params?: Record<string, unknown> }[];
}

/**
 * The error for a query string that failed an area's schema of string parameters (each known
 * parameter a string of at most 1024 characters, any other refused with `not: {}`): the first
 * problem, naming the parameter. `hints` says what a parameter must be, where plain "text" is too vague.
 */
export function queryValidationError(
  error: SchemaFailure,
  known: readonly string[],
  hints: Readonly<Record<string, string>> = {},
): AppError {
  const first = error.validation?.[0];
  const parameter = first?.instancePath.replace(/^\//, '') ?? '';
  if (first?.keyword === 'not') {
    return new AppError(
      'unknown_parameter',
      `unknown query parameter "${parameter}"; known parameters: ${known.join(', ')}`,
      { cause: error },
    );
  }
  const hint = hints[parameter];
  if (hint !== undefined) return new AppError('invalid_parameter', `${parameter} must be ${hint}`, { cause: error });
  if (first?.keyword === 'maxLength') {
    return new AppError(
      'invalid_parameter',
      `${parameter} is longer than ${String(first.params?.limit ?? 1024)} characters`,
      { cause: error },
    );
  }
  return new AppError('invalid_parameter', `${parameter || 'the query'} must be given at most once, as text`, {
    cause: error,
  });
}

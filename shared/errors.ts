/**
 * Errors with a stable machine-readable code, the HTTP status they map to, and their cause.
 * Each area keeps one table of its errors (a `const` object of ErrorSpec) and throws AppError.
 */
export interface ErrorSpec {
  code: string;
  status: number;
}

export class AppError extends Error {
  readonly code: string;
  readonly status: number;

  constructor(spec: ErrorSpec, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = spec.code;
    this.status = spec.status;
  }

  toJSON(): { error: { code: string; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

const STABLE_CODE = /^[a-z][a-z0-9_]*$/;

/**
 * The stable code to answer with for an error a fastify error handler caught: the error's own code
 * when it is one of the project's (lower_snake_case), else one derived from the HTTP status, so
 * fastify's and Node's internal codes (`FST_ERR_…`, `ECONNRESET`) never reach a client.
 */
export function stableCode(error: { code?: unknown }, status: number): string {
  if (typeof error.code === 'string' && STABLE_CODE.test(error.code)) return error.code;
  if (status === 413) return 'body_too_large';
  if (status === 415) return 'unsupported_media_type';
  return status >= 500 ? 'internal' : 'bad_request';
}

/** The JSON body every HTTP API of the project uses for an error. */
export function errorBody(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

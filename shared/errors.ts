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

/** The JSON body every HTTP API of the project uses for an error. */
export function errorBody(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

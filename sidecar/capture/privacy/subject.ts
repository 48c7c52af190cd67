import type { IncomingHttpHeaders } from 'node:http';
import { isRecord } from '../extraction.js';

export function subjectFromHeaders(headers: IncomingHttpHeaders, name: string): string | undefined {
  const raw = headers[name];
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** The scalar at `path` in the body, as text; undefined when the path does not lead to one. */
export function subjectFromBody(body: unknown, path: readonly string[]): string | undefined {
  let at: unknown = body;
  for (const key of path) {
    if (!isRecord(at)) return undefined;
    at = at[key];
  }
  if (typeof at === 'string') return at.trim() === '' ? undefined : at;
  if (typeof at === 'number' && Number.isFinite(at)) return String(at);
  return undefined;
}

/** `INFERTRACE_SUBJECT_FIELD` syntax: dot-separated keys, each non-empty. */
export function parseFieldPath(text: string): string[] | undefined {
  const parts = text.split('.');
  return parts.every((p) => p !== '') ? parts : undefined;
}

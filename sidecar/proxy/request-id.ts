import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HEADER = 'x-request-id';

/** 1–200 visible ASCII characters: long enough for any id scheme, safe in logs and headers. */
const VALID = /^[\x21-\x7e]{1,200}$/;

export function isValidRequestId(value: string | undefined): value is string {
  return value !== undefined && VALID.test(value);
}

/**
 * The exchange's request id: the client's `x-request-id` when it sent exactly one valid value,
 * else a new UUID v4. `fromClient` tells whether the client chose it.
 */
export function resolveRequestId(header: string | string[] | undefined): { id: string; fromClient: boolean } {
  const value = Array.isArray(header) ? (header.length === 1 ? header[0] : undefined) : header;
  return isValidRequestId(value) ? { id: value, fromClient: true } : { id: randomUUID(), fromClient: false };
}

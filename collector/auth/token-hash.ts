import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Tokens are stored and configured only as `sha256:<64 hex>`; the collector hashes what a client
 * presents and compares hashes in constant time, so neither the configuration nor a timing
 * difference gives a token away.
 */
const HASH = /^sha256:([0-9a-f]{64})$/;

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** `sha256:<hex>` of a token: the form a tokens file holds. */
export function tokenHashText(token: string): string {
  return `sha256:${hashToken(token).toString('hex')}`;
}

/** The 32 bytes of a `sha256:<hex>` text, or undefined when it is not one. */
export function parseTokenHash(text: string): Buffer | undefined {
  const m = HASH.exec(text.trim().toLowerCase());
  return m ? Buffer.from(m[1] as string, 'hex') : undefined;
}

export function sameHash(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A new random token: 32 bytes, base64url, with a prefix that makes it recognisable in a leak scan. */
export function newToken(): string {
  return `itk_${randomBytes(32).toString('base64url')}`;
}

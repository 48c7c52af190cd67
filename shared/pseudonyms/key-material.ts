import { MIN_KEY_BYTES } from './hmac.js';

/**
 * The bytes of a key written as hex or base64 (standard or URL-safe). A passphrase is refused: the
 * key must be random bytes, at least 16 of them (128 bits), e.g. `openssl rand -hex 32`.
 */
export function decodeKey(text: string): { key: Buffer } | { problem: string } {
  const t = text.trim();
  let key: Buffer | undefined;
  if (/^(?:[0-9a-fA-F]{2})+$/.test(t)) key = Buffer.from(t, 'hex');
  else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(t) && t.replace(/=+$/, '').length % 4 !== 1)
    key = Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key === undefined)
    return { problem: 'is not hex or base64 (a passphrase is not a key): make one with openssl rand -hex 32' };
  if (key.length < MIN_KEY_BYTES) {
    return {
      problem: `holds ${key.length} bytes; a key needs at least ${MIN_KEY_BYTES} random bytes (128 bits), e.g. openssl rand -hex 32`,
    };
  }
  return { key };
}

import { createHash, createHmac } from 'node:crypto';

/** HMAC-SHA256 wants a key of at least its output size; below 16 bytes we refuse to start. */
export const MIN_KEY_BYTES = 16;

const KEY_ID = /^[A-Za-z0-9_.-]{1,64}$/;

export function validKeyId(id: string): boolean {
  return KEY_ID.test(id);
}

/**
 * Keyed pseudonymisation: `hmac:<keyid>:<64 hex>`. A plain hash of an identifier can be reversed by
 * hashing every candidate; a keyed HMAC cannot without the key. The key id travels with every
 * pseudonym so keys can rotate and old pseudonyms stay attributable to the key that made them.
 * The key is held privately and never serialised.
 */
export class Pseudonymiser {
  readonly keyId: string;
  readonly #key: Buffer;

  constructor(keyId: string, key: Buffer) {
    this.keyId = keyId;
    this.#key = Buffer.from(key);
  }

  pseudonymise(value: string): string {
    return `hmac:${this.keyId}:${createHmac('sha256', this.#key).update(value, 'utf8').digest('hex')}`;
  }

  toJSON(): { keyId: string } {
    return { keyId: this.keyId };
  }
}

/** The key id used when none is configured: a fingerprint, so a new key gets a new id by itself. */
export function defaultKeyId(key: Buffer): string {
  return createHash('sha256').update('infertrace-hmac-key-id:').update(key).digest('hex').slice(0, 8);
}

import { createHash, createHmac, hkdfSync } from 'node:crypto';

/** A key must carry at least 128 bits: 16 random bytes, given as hex or base64 (key-material.ts). */
export const MIN_KEY_BYTES = 16;

const KEY_ID = /^[A-Za-z0-9_.-]{1,64}$/;

export function validKeyId(id: string): boolean {
  return KEY_ID.test(id);
}

/** What the subject id is pseudonymised for; every pseudonymised column is its own purpose (its attribute name). */
export const SUBJECT_PURPOSE = 'enduser.pseudo.id';

export interface KeyEntry {
  readonly id: string;
  readonly key: Buffer;
}

/**
 * Keyed pseudonymisation over a keyring: `hmac:<keyid>:<64 hex>`. A plain hash of an identifier can
 * be reversed by hashing every candidate; a keyed HMAC cannot without the key. Each purpose (the
 * subject id, each pseudonymised column) gets its own key derived with HKDF, so the same value gives
 * unrelated pseudonyms in two columns and they cannot be joined. New pseudonyms use the primary key;
 * older keys stay for lookups (erasure and access compute a value's pseudonym under every key) for as
 * long as data made under them is retained. Keys are held privately and never serialised.
 */
export class Pseudonymiser {
  readonly keyId: string;
  readonly #keys: readonly KeyEntry[];
  readonly #derived = new Map<string, Buffer>();

  /** `older`: keys retired from making pseudonyms, kept for lookups. */
  constructor(keyId: string, key: Buffer, older: readonly KeyEntry[] = []) {
    this.keyId = keyId;
    this.#keys = [{ id: keyId, key: Buffer.from(key) }, ...older.map((k) => ({ id: k.id, key: Buffer.from(k.key) }))];
  }

  /** Key ids, the primary first. */
  get keyIds(): string[] {
    return this.#keys.map((k) => k.id);
  }

  pseudonymise(value: string, purpose: string): string {
    return this.#under(this.#keys[0] as KeyEntry, value, purpose);
  }

  /** The value's pseudonym under every key of the ring, the primary first: what a lookup must search for. */
  candidates(value: string, purpose: string): string[] {
    return this.#keys.map((k) => this.#under(k, value, purpose));
  }

  toJSON(): { keyId: string } {
    return { keyId: this.keyId };
  }

  #under(entry: KeyEntry, value: string, purpose: string): string {
    return `hmac:${entry.id}:${createHmac('sha256', this.#purposeKey(entry, purpose)).update(value, 'utf8').digest('hex')}`;
  }

  #purposeKey(entry: KeyEntry, purpose: string): Buffer {
    const cacheKey = `${entry.id}\u0000${purpose}`;
    let derived = this.#derived.get(cacheKey);
    if (derived === undefined) {
      derived = derivePurposeKey(entry.key, purpose);
      if (this.#derived.size >= 10_000) this.#derived.clear();
      this.#derived.set(cacheKey, derived);
    }
    return derived;
  }
}

/** HKDF-SHA256 of the master key for one purpose (32 bytes). */
export function derivePurposeKey(master: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, 'infertrace-pseudonym-v1', `purpose:${purpose}`, 32));
}

/** The key id used when none is configured: a fingerprint, so a new key gets a new id by itself. */
export function defaultKeyId(key: Buffer): string {
  return createHash('sha256').update('infertrace-hmac-key-id:').update(key).digest('hex').slice(0, 8);
}

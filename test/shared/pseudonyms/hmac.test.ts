import { createHmac, hkdfSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Pseudonymiser, defaultKeyId, derivePurposeKey, validKeyId } from '../../../shared/pseudonyms/hmac.js';
import { decodeKey } from '../../../shared/pseudonyms/key-material.js';

const key = Buffer.from('0123456789abcdef0123456789abcdef');

describe('pseudonymisation', () => {
  it("is HMAC-SHA256 of the value under the purpose's HKDF key, labelled with the key id", () => {
    const purposeKey = Buffer.from(hkdfSync('sha256', key, 'infertrace-pseudonym-v1', 'purpose:ml.input.email', 32));
    const expected = createHmac('sha256', purposeKey).update('alice@example.com').digest('hex');
    expect(new Pseudonymiser('k2026', key).pseudonymise('alice@example.com', 'ml.input.email')).toBe(
      `hmac:k2026:${expected}`,
    );
    expect(derivePurposeKey(key, 'ml.input.email')).toEqual(purposeKey);
  });

  it('gives unlinkable pseudonyms to one value in two columns, or as a subject id', () => {
    const p = new Pseudonymiser('k1', key);
    const seen = new Set(
      ['ml.input.email', 'ml.input.customer_email', 'enduser.pseudo.id'].map((purpose) =>
        p.pseudonymise('alice@example.com', purpose),
      ),
    );
    expect(seen.size).toBe(3);
  });

  it('keeps older keys for lookups: new pseudonyms under the primary, candidates under every key', () => {
    const old = Buffer.alloc(32, 1);
    const ring = new Pseudonymiser('k2', key, [{ id: 'k1', key: old }]);
    const before = new Pseudonymiser('k1', old).pseudonymise('alice', 'enduser.pseudo.id');
    expect(ring.keyIds).toEqual(['k2', 'k1']);
    expect(ring.pseudonymise('alice', 'enduser.pseudo.id')).toMatch(/^hmac:k2:/);
    expect(ring.candidates('alice', 'enduser.pseudo.id')).toEqual([
      ring.pseudonymise('alice', 'enduser.pseudo.id'),
      before,
    ]);
  });

  it.each([
    ['64 hex digits', '0123456789abcdef'.repeat(4), 32],
    ['32 hex digits (128 bits)', '0123456789abcdef'.repeat(2), 16],
    ['base64 of 32 bytes', Buffer.alloc(32, 9).toString('base64'), 32],
    ['URL-safe base64', Buffer.alloc(24, 0xfb).toString('base64url'), 24],
  ])('takes a key of %s', (_name, text, bytes) => {
    const decoded = decodeKey(text);
    expect('key' in decoded && decoded.key.length).toBe(bytes);
  });

  it.each([
    ['a 16-character passphrase', 'correct horse!!!', /not hex or base64/],
    ['a passphrase that looks like base64 but is short', 'correcthorsebatt', /holds 12 bytes; a key needs at least 16/],
    ['30 hex digits (120 bits)', '0123456789abcdef0123456789abcd', /holds 15 bytes/],
  ])('refuses %s', (_name, text, problem) => {
    const decoded = decodeKey(text);
    expect('problem' in decoded ? decoded.problem : '').toMatch(problem);
  });

  it.each([
    ['the same value and key', 'k1', key, 'alice', true],
    ['another key (rotation)', 'k1', Buffer.from('another-key-of-32-bytes-length!!'), 'alice', false],
    ['another value', 'k1', key, 'bob', false],
  ])('%s → equal: %s', (_name, id, otherKey, value, same) => {
    const a = new Pseudonymiser('k1', key).pseudonymise('alice', 'x');
    const b = new Pseudonymiser(id, otherKey).pseudonymise(value, 'x');
    expect(a === b).toBe(same);
  });

  it('never serialises its key', () => {
    const p = new Pseudonymiser('k1', key);
    expect(JSON.stringify({ p })).toBe('{"p":{"keyId":"k1"}}');
    expect(JSON.stringify(p)).not.toContain(key.toString());
  });

  it.each([
    ['k1', true],
    ['2026-05.prod_a', true],
    ['has:colon', false],
    ['', false],
    ['x'.repeat(65), false],
  ])('key id %j valid: %s', (id, valid) => {
    expect(validKeyId(id)).toBe(valid);
  });

  it('derives a default key id that changes with the key', () => {
    const a = defaultKeyId(key);
    expect(a).toMatch(/^[0-9a-f]{8}$/);
    expect(defaultKeyId(Buffer.from('a different key, 32 bytes long!!'))).not.toBe(a);
  });
});

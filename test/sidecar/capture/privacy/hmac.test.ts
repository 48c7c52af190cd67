import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Pseudonymiser, defaultKeyId, validKeyId } from '../../../../sidecar/capture/privacy/hmac.js';

const key = Buffer.from('0123456789abcdef0123456789abcdef');

describe('pseudonymisation', () => {
  it('is HMAC-SHA256 of the value, labelled with the key id', () => {
    const expected = createHmac('sha256', key).update('alice@example.com').digest('hex');
    expect(new Pseudonymiser('k2026', key).pseudonymise('alice@example.com')).toBe(`hmac:k2026:${expected}`);
  });

  it.each([
    ['the same value and key', 'k1', key, 'alice', true],
    ['another key (rotation)', 'k1', Buffer.from('another-key-of-32-bytes-length!!'), 'alice', false],
    ['another value', 'k1', key, 'bob', false],
  ])('%s → equal: %s', (_name, id, otherKey, value, same) => {
    const a = new Pseudonymiser('k1', key).pseudonymise('alice');
    const b = new Pseudonymiser(id, otherKey).pseudonymise(value);
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

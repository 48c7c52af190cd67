import { describe, expect, it } from 'vitest';
import { resolveSubject } from '../../../collector/subjects/subject-ref.js';
import { AppError } from '../../../shared/errors.js';
import { Pseudonymiser, SUBJECT_PURPOSE } from '../../../shared/pseudonyms/hmac.js';

const ring = new Pseudonymiser('k2', Buffer.alloc(32, 2), [{ id: 'k1', key: Buffer.alloc(32, 1) }]);
const hex = 'a'.repeat(64);

describe('resolveSubject', () => {
  it('turns a raw id into its pseudonym under every key, the primary first', () => {
    const ref = resolveSubject('alice', ring);
    expect(ref).toEqual({ given: 'raw', pseudonyms: ring.candidates('alice', SUBJECT_PURPOSE) });
    expect(ref.pseudonyms[0]).toMatch(/^hmac:k2:[0-9a-f]{64}$/);
    expect(ref.pseudonyms[1]).toMatch(/^hmac:k1:[0-9a-f]{64}$/);
    expect(JSON.stringify(ref)).not.toContain('alice');
  });

  it.each([
    ['a pseudonym under the primary key', `hmac:k2:${hex}`, ring],
    ['a pseudonym under an older key', `hmac:k1:${hex}`, ring],
    ['a pseudonym when the collector has no key', `hmac:elsewhere:${hex}`, undefined],
  ])('takes %s as given', (_name, text, keyring) => {
    expect(resolveSubject(text, keyring)).toEqual({ given: 'pseudonym', pseudonyms: [text] });
  });

  it.each([
    ['a malformed pseudonym (short hex)', `hmac:k2:${'a'.repeat(63)}`, ring, 'invalid_subject'],
    ['a malformed pseudonym (upper-case hex)', `hmac:k2:${'A'.repeat(64)}`, ring, 'invalid_subject'],
    ['a malformed pseudonym (no key id)', `hmac::${hex}`, ring, 'invalid_subject'],
    ['an empty subject', '', ring, 'invalid_subject'],
    ['a key id that is not configured', `hmac:k9:${hex}`, ring, 'unknown_key_id'],
    ['a raw id without a key', 'alice', undefined, 'no_subject_key'],
  ])('refuses %s', (_name, text, keyring, code) => {
    let error: unknown;
    try {
      resolveSubject(text, keyring);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe(code);
    expect((error as AppError).message).not.toContain('alice');
  });
});

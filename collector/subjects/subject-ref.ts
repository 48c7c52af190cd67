import { AppError } from '../../shared/errors.js';
import { SUBJECT_PURPOSE, type Pseudonymiser } from '../../shared/pseudonyms/hmac.js';

/**
 * A data subject as a request names them: by pseudonym (`hmac:<keyid>:<64 hex>`, what the sidecar
 * records in `enduser.pseudo.id`) or by raw id. A raw id is turned into its pseudonym under every
 * key of the keyring (older keys too: data made under them is still stored) and then forgotten: it
 * is never stored, logged or put in an error message. Text starting with `hmac:` is a pseudonym.
 */
export interface SubjectRef {
  /** Every pseudonym the subject's data may carry, the primary key's first. */
  readonly pseudonyms: readonly string[];
  readonly given: 'pseudonym' | 'raw';
}

const PSEUDONYM = /^hmac:([A-Za-z0-9_.-]{1,64}):([0-9a-f]{64})$/;

export function isPseudonym(text: string): boolean {
  return PSEUDONYM.test(text);
}

/**
 * Resolves the subject. Without a keyring a pseudonym is taken as given (the operator keeps the key
 * elsewhere and computed it with `infertrace subject id`); with one, its key id must be in the ring.
 */
export function resolveSubject(text: string, keyring: Pseudonymiser | undefined): SubjectRef {
  if (text.trim() === '') throw new AppError('invalid_subject', 'the subject is empty: give a pseudonym or a raw id');
  if (text.startsWith('hmac:')) {
    const m = PSEUDONYM.exec(text);
    if (m === null)
      throw new AppError(
        'invalid_subject',
        'the subject starts with "hmac:" but is not a pseudonym: expected hmac:<keyid>:<64 lowercase hex>',
      );
    const keyId = m[1] as string;
    if (keyring !== undefined && !keyring.keyIds.includes(keyId))
      throw new AppError(
        'unknown_key_id',
        `the pseudonym's key id "${keyId}" is not in the collector's keyring (${keyring.keyIds.join(', ')}): add the key to INFERTRACE_HMAC_KEY_FILE`,
      );
    return { pseudonyms: [text], given: 'pseudonym' };
  }
  if (keyring === undefined)
    throw new AppError(
      'no_subject_key',
      'the subject is a raw id but the collector has no pseudonymisation key: set INFERTRACE_HMAC_KEY_FILE (the sidecar\'s key), or give the pseudonym ("infertrace subject id" computes it)',
    );
  return { pseudonyms: keyring.candidates(text, SUBJECT_PURPOSE), given: 'raw' };
}

/**
 * Features whose names say they identify or contact a person. With no rule of the rules file for
 * them, they are pseudonymised when a key is configured and dropped otherwise, so a sidecar started
 * with defaults never records them raw. A name is split into lower-case words (`customerEmail`,
 * `customer_email`, `Customer-Email` → customer, email); it is an identifier when its words END with
 * one of these phrases, so `email` and `billing_email` are, `email_verified` and `name_length` are not.
 * The rules file overrides the list: `identifiers: [globs]` replaces it, `identifiers: []` turns it off,
 * and a rule matching a feature wins over the list.
 */
const DEFAULT_IDENTIFIER_PHRASES: readonly string[] = [
  // names
  'name',
  'first name',
  'last name',
  'full name',
  'given name',
  'family name',
  'middle name',
  'surname',
  'firstname',
  'lastname',
  'fullname',
  'username',
  'user name',
  // contact
  'email',
  'e mail',
  'mail',
  'email address',
  'phone',
  'phone number',
  'telephone',
  'mobile',
  'msisdn',
  'address',
  'street',
  'street address',
  'postal address',
  'home address',
  // birth
  'birth date',
  'date of birth',
  'dob',
  'birthdate',
  'birthday',
  // national, customer, account, user ids
  'national id',
  'ssn',
  'social security number',
  'passport number',
  'tax id',
  'customer id',
  'customerid',
  'customer number',
  'account id',
  'accountid',
  'account number',
  'user id',
  'userid',
  'subject id',
  'patient id',
  // payment
  'card',
  'card number',
  'credit card',
  'pan',
  'iban',
  // network
  'ip',
  'ip address',
  'client ip',
];

/** The words of a feature name: split at separators and lower-to-upper case changes, lower-cased. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

export type IdentifierTest = (name: string) => boolean;

/** A test for names ending with one of the phrases (each a space-separated list of words). */
function phraseTest(phrases: readonly string[]): IdentifierTest {
  const lists = phrases.map((p) => p.split(' '));
  return (name) => {
    const words = nameWords(name);
    return lists.some(
      (phrase) =>
        phrase.length <= words.length && phrase.every((w, i) => words[words.length - phrase.length + i] === w),
    );
  };
}

export const defaultIdentifierTest: IdentifierTest = phraseTest(DEFAULT_IDENTIFIER_PHRASES);

/** The test remembered per name: feature names repeat from request to request. */
export function remembered(test: IdentifierTest): IdentifierTest {
  const memo = new Map<string, boolean>();
  return (name) => {
    let hit = memo.get(name);
    if (hit === undefined) {
      hit = test(name);
      if (memo.size >= 10_000) memo.clear();
      memo.set(name, hit);
    }
    return hit;
  };
}

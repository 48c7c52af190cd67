import { describe, expect, it } from 'vitest';
import type { Feature } from '../../../../sidecar/capture/extraction.js';
import { applyPrivacy } from '../../../../sidecar/capture/privacy/apply-privacy.js';
import { Pseudonymiser } from '../../../../shared/pseudonyms/hmac.js';
import { defaultIdentifierTest, nameWords } from '../../../../sidecar/capture/privacy/identifiers.js';
import { parseIdentifiersSection } from '../../../../sidecar/capture/privacy/identifiers-section.js';
import { isCardNumber } from '../../../../sidecar/capture/privacy/pii/card-number.js';
import { DEFAULT_PII, type PrivacyPolicy } from '../../../../sidecar/capture/privacy/rules.js';

describe('identifying feature names', () => {
  it.each([
    ['customerEmail', ['customer', 'email']],
    ['Customer-Email', ['customer', 'email']],
    ['applicant.date_of_birth', ['applicant', 'date', 'of', 'birth']],
    ['IBAN', ['iban']],
  ])('%s has the words %j', (name, words) => {
    expect(nameWords(name)).toEqual(words);
  });

  it.each([
    'name',
    'first_name',
    'lastName',
    'email',
    'billing_email',
    'e-mail',
    'phone',
    'phone_number',
    'mobile',
    'address',
    'home_address',
    'street',
    'dob',
    'date_of_birth',
    'birthDate',
    'national_id',
    'ssn',
    'customer_id',
    'customerId',
    'account_number',
    'user_id',
    'card_number',
    'card',
    'iban',
    'ip',
    'client_ip',
    'ip_address',
  ])('%s is an identifier', (name) => {
    expect(defaultIdentifierTest(name)).toBe(true);
  });

  it.each([
    'age',
    'income',
    'email_verified',
    'name_length',
    'card_type',
    'address_count',
    'petal_length',
    'ipsum',
    'shipping',
    'id',
  ])('%s is not', (name) => {
    expect(defaultIdentifierTest(name)).toBe(false);
  });
});

describe('card numbers sent as numbers', () => {
  it.each([
    [4111111111111111, true], // Visa test number, 16 digits
    [378282246310005, true], // Amex, 15 digits
    [4111111111111112, false], // fails Luhn
    [4000123456789012345, true], // 19 digits, past 2^53: cannot be verified, counted
    [1733130000000, false], // a millisecond timestamp that fails Luhn
    [411111111111, false], // 12 digits
    [4111111111111111.5, false],
    [-4111111111111111, false],
  ])('%d is a card: %s', (n, card) => {
    expect(isCardNumber(n)).toBe(card);
  });
});

describe('identifiers without a rule', () => {
  const f = (name: string, ...values: Feature['values']): Feature => ({ name, values });
  const features = [
    f('email', 'ann@example.com'),
    f('full_name', 'Ann Lee'),
    f('customer_id', 12345),
    f('age', 42),
    f('segment', 'gold'),
  ];
  const base: PrivacyPolicy = {
    defaultAction: 'keep',
    rules: [],
    pii: DEFAULT_PII,
    identifiers: parseIdentifiersSection(undefined, undefined) as never,
  };

  it('are dropped when no key is configured; the rest is kept', () => {
    const out = applyPrivacy(features, 'input', base, 1000);
    expect(out.features).toEqual([f('age', 42), f('segment', 'gold')]);
    expect(out.redacted).toEqual(['ml.input.email', 'ml.input.full_name', 'ml.input.customer_id']);
  });

  it('are pseudonymised with a key', () => {
    const pseudonymiser = new Pseudonymiser('k1', Buffer.alloc(32, 7));
    const out = applyPrivacy(features, 'input', { ...base, pseudonymiser }, 1000);
    expect(out.features.map((x) => x.name)).toEqual(['email', 'full_name', 'customer_id', 'age', 'segment']);
    expect(out.features[0]?.values[0]).toMatch(/^hmac:k1:[0-9a-f]{64}$/);
    expect(out.features[2]?.values[0]).toMatch(/^hmac:k1:/);
    expect(JSON.stringify(out.features)).not.toMatch(/ann@example|Ann Lee|12345/);
  });

  it('follow the rules file: a list replaces the default, an empty list turns it off', () => {
    const only = { ...base, identifiers: parseIdentifiersSection(undefined, ['segment']) as never };
    expect(applyPrivacy(features, 'input', only, 1000).features.map((x) => x.name)).toEqual([
      'email',
      'full_name',
      'customer_id',
      'age',
    ]);
    expect(parseIdentifiersSection(undefined, [])).toBeUndefined();
  });
});

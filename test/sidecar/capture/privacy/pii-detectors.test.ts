import { describe, expect, it } from 'vitest';
import { textStats, type PiiDetector } from '../../../../sidecar/capture/privacy/pii/detector.js';
import { emailDetector } from '../../../../sidecar/capture/privacy/pii/email.js';
import { ibanChecksumValid, ibanDetector } from '../../../../sidecar/capture/privacy/pii/iban.js';
import { ipAddressDetector } from '../../../../sidecar/capture/privacy/pii/ip-address.js';
import { luhnValid, paymentCardDetector } from '../../../../sidecar/capture/privacy/pii/payment-card.js';
import { phoneDetector } from '../../../../sidecar/capture/privacy/pii/phone.js';
import { ALL_DETECTORS, maskPii } from '../../../../sidecar/capture/privacy/pii/scan.js';
import { usSsnDetector } from '../../../../sidecar/capture/privacy/pii/us-ssn.js';

function found(d: PiiDetector, text: string): string[] {
  return d.mayContain(text, textStats(text)) ? d.find(text).map((m) => text.slice(m.start, m.end)) : [];
}

describe.each<[string, PiiDetector, [string, string[]][]]>([
  [
    'email',
    emailDetector,
    [
      ['write to jane.doe+news@example.co.uk today', ['jane.doe+news@example.co.uk']],
      ['a@b.io and c_d@mail-host.org', ['a@b.io', 'c_d@mail-host.org']],
      ['user at example dot com', []],
      ['follow @handle', []],
      ['a@b', []],
    ],
  ],
  [
    'phone',
    phoneDetector,
    [
      ['call +44 20 7946 0958 now', ['+44 20 7946 0958']],
      ['US: +1 (415) 555-2671', ['+1 (415) 555-2671']],
      ['(415) 555-2671', ['(415) 555-2671']],
      ['415-555-2671 or 415.555.2671', ['415-555-2671', '415.555.2671']],
      ['UK national 020 7946 0958', ['020 7946 0958']],
      ['born 2024-01-15', []],
      ['price 12.50 34.99', []],
      ['order 12345678', []],
      ['ext 555-1234', []],
    ],
  ],
  [
    'payment card',
    paymentCardDetector,
    [
      ['visa 4111 1111 1111 1111 exp', ['4111 1111 1111 1111']],
      ['mc 5500-0000-0000-0004', ['5500-0000-0000-0004']],
      ['amex 378282246310005', ['378282246310005']],
      ['discover 6011111111111117.', ['6011111111111117']],
      ['wrong check digit 4111 1111 1111 1112', []],
      ['1234 5678 9012 3456', []],
      ['zeros 0000 0000 0000 0000', []],
      ['too short 4111 1111 111', []],
      ['part of a longer number 41111111111111110000000', []],
    ],
  ],
  [
    'IBAN',
    ibanDetector,
    [
      ['pay DE89 3704 0044 0532 0130 00 please', ['DE89 3704 0044 0532 0130 00']],
      ['GB82WEST12345698765432', ['GB82WEST12345698765432']],
      ['FR14 2004 1010 0505 0001 3M02 606 OK', ['FR14 2004 1010 0505 0001 3M02 606']],
      ['NL91ABNA0417164300', ['NL91ABNA0417164300']],
      ['wrong check DE89 3704 0044 0532 0130 01', []],
      ['too short GB82 WEST 1234 5698 7654 3', []],
      ['unknown country XX89 3704 0044 0532 0130 00', []],
      ['lower case de89370400440532013000', []],
    ],
  ],
  [
    'US SSN',
    usSsnDetector,
    [
      ['ssn 123-45-6789', ['123-45-6789']],
      ['ssn 536 22 1234', ['536 22 1234']],
      ['area 000-12-3456', []],
      ['area 666-12-3456', []],
      ['area 900-12-3456', []],
      ['group 123-00-4567', []],
      ['serial 123-45-0000', []],
      ['unseparated 123456789', []],
      ['mixed separators 123-45 6789', []],
      ['too long 123-45-67890', []],
    ],
  ],
  [
    'IP address',
    ipAddressDetector,
    [
      ['from 192.168.1.20 at noon', ['192.168.1.20']],
      ['v6 2001:db8::8a2e:370:7334.', ['2001:db8::8a2e:370:7334']],
      ['mapped ::ffff:192.0.2.1', ['::ffff:192.0.2.1']],
      ['link-local fe80::1%eth0', ['fe80::1%eth0']],
      ['999.1.1.1', []],
      ['only 1.2.3', []],
      ['version 1.2.3.4.5', []],
      ['at 12:30:45', []],
      ['std::vector', []],
    ],
  ],
])('%s', (_kind, detector, cases) => {
  it.each(cases)('%s', (text, expected) => {
    expect(found(detector, text)).toEqual(expected);
  });
});

describe('checksums', () => {
  it.each([
    ['4111111111111111', true],
    ['79927398713', true],
    ['79927398710', false],
    ['4111111111111112', false],
  ])('Luhn %s → %s', (digits, valid) => {
    expect(luhnValid(digits)).toBe(valid);
  });

  it.each([
    ['DE89370400440532013000', true],
    ['GB82WEST12345698765432', true],
    ['GB82WEST12345698765433', false],
    ['GB28WEST12345698765432', false],
  ])('IBAN mod-97 %s → %s', (iban, valid) => {
    expect(ibanChecksumValid(iban)).toBe(valid);
  });
});

describe('masking free text', () => {
  it.each([
    ['mail me at a.b@example.com or +49 30 1234567', 'mail me at [email] or [phone]', ['email', 'phone']],
    [
      'IBAN DE89 3704 0044 0532 0130 00, card 4111-1111-1111-1111',
      'IBAN [iban], card [payment_card]',
      ['iban', 'payment_card'],
    ],
    ['ssn 123-45-6789 from 10.0.0.7', 'ssn [us_ssn] from [ip_address]', ['us_ssn', 'ip_address']],
    ['the service was great', 'the service was great', []],
  ])('%s', (text, masked, kinds) => {
    expect(maskPii(text, ALL_DETECTORS)).toEqual({ text: masked, found: kinds });
  });
});

import { findAll, type PiiDetector, type PiiMatch } from './detector.js';

/** IBAN length per country, from the SWIFT IBAN registry; a code not listed is not an IBAN. */
const IBAN_LENGTH: Readonly<Record<string, number>> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  LY: 25,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MR: 27,
  MT: 31,
  MU: 30,
  NL: 18,
  NO: 15,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  SA: 24,
  SC: 31,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
};

// Country code, check digits, then the account part, compact or in groups split by single spaces.
const CANDIDATE = /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}/g;

/** ISO 13616 check: move the first four characters to the end, letters to numbers, mod 97 = 1. */
export function ibanChecksumValid(compact: string): boolean {
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let rest = 0;
  for (const ch of rearranged) {
    const c = ch.charCodeAt(0);
    const value = c >= 65 && c <= 90 ? c - 55 : c - 48;
    if (value < 0 || value > 35) return false;
    rest = value > 9 ? (rest * 100 + value) % 97 : (rest * 10 + value) % 97;
  }
  return rest === 1;
}

function accept(m: RegExpExecArray): PiiMatch | undefined {
  const country = m[0].slice(0, 2);
  const length = Object.hasOwn(IBAN_LENGTH, country) ? IBAN_LENGTH[country] : undefined;
  if (length === undefined) return undefined;
  // Take exactly the country's length of non-space characters, so trailing words are not swallowed.
  let taken = 0;
  let end = 0;
  while (end < m[0].length && taken < length) {
    if (m[0][end] !== ' ') taken++;
    end++;
  }
  if (taken < length) return undefined;
  const next = m[0][end];
  if (next !== undefined && next !== ' ') return undefined;
  const compact = m[0].slice(0, end).replace(/ /g, '');
  return ibanChecksumValid(compact) ? { start: m.index, end: m.index + end } : undefined;
}

export const ibanDetector: PiiDetector = {
  kind: 'iban',
  mayContain: (text, stats) => stats.digits >= 6 && /[A-Z]{2}\d{2}/.test(text),
  find: (text) => findAll(CANDIDATE, text, accept),
};

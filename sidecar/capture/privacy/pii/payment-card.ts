import { findAll, type PiiDetector } from './detector.js';

// 13–19 digits, optionally grouped by single spaces or dashes, not part of a longer number.
const CARD = /(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)/g;

/** The Luhn (mod 10) check every payment card number carries in its last digit. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

export const paymentCardDetector: PiiDetector = {
  kind: 'payment_card',
  mayContain: (_text, stats) => stats.digits >= 13,
  find: (text) =>
    findAll(CARD, text, (m) => {
      const digits = m[0].replace(/[ -]/g, '');
      // All zeros passes Luhn but is no card; a zero-filled field is common in real payloads.
      if (/^0+$/.test(digits) || !luhnValid(digits)) return undefined;
      return { start: m.index, end: m.index + m[0].length };
    }),
};

import { luhnValid } from './payment-card.js';

/**
 * A payment card sent as a number (a JSON number, or an INT64 tensor element): 13–19 digits that
 * pass the Luhn check. Past 2^53 a JSON number has already lost its last digits, so its check digit
 * cannot be verified, yet what would be recorded is still most of the card: such a number counts
 * as a card too.
 */
export function isCardNumber(v: number): boolean {
  if (!Number.isInteger(v) || v < 1e12 || v >= 1e19) return false;
  if (!Number.isSafeInteger(v)) return true;
  return luhnValid(String(v));
}

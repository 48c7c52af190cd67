import { findAll, mergeOverlaps, type PiiDetector, type PiiMatch } from './detector.js';

/*
 * Three shapes, chosen so dates, prices and version numbers do not match:
 * - international: '+' then 8–15 digits (E.164), single separators or parentheses between them;
 * - North American: (415) 555-2671, 415-555-2671, 415.555.2671, 1 415 555 2671;
 * - national with a trunk prefix: 020 7946 0958, 030-1234-5678.
 */
const INTERNATIONAL = /(?<![\w+])\+\d(?:[ .()-]{0,2}\d){7,14}(?!\d)/g;
const NORTH_AMERICAN = /(?<![\d+])(?:1[ .-])?(?:\(\d{3}\) ?|\d{3}[ .-])\d{3}[ .-]\d{4}(?!\d)/g;
const TRUNK = /(?<![\d+.])0\d{1,4}[ -]\d{3,4}[ -]?\d{3,4}(?![\d.])/g;

function span(m: RegExpExecArray): PiiMatch {
  return { start: m.index, end: m.index + m[0].length };
}

function trunk(m: RegExpExecArray): PiiMatch | undefined {
  const digits = m[0].replace(/\D/g, '').length;
  return digits >= 9 && digits <= 11 ? span(m) : undefined;
}

export const phoneDetector: PiiDetector = {
  kind: 'phone',
  mayContain: (_text, stats) => stats.digits >= 8,
  find: (text) =>
    mergeOverlaps([
      ...findAll(INTERNATIONAL, text, span),
      ...findAll(NORTH_AMERICAN, text, span),
      ...findAll(TRUNK, text, trunk),
    ]),
};

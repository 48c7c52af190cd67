import { findAll, type PiiDetector } from './detector.js';

// AAA-GG-SSSS (or with spaces); an unseparated nine-digit number is too ambiguous to flag.
const SSN = /(?<![\d-])(\d{3})([- ])(\d{2})\2(\d{4})(?![\d-])/g;

/** The Social Security Administration never issues area 000, 666 or 9xx, group 00 or serial 0000. */
function ssnValid(area: string, group: string, serial: string): boolean {
  return area !== '000' && area !== '666' && area[0] !== '9' && group !== '00' && serial !== '0000';
}

export const usSsnDetector: PiiDetector = {
  kind: 'us_ssn',
  mayContain: (_text, stats) => stats.digits >= 9,
  find: (text) =>
    findAll(SSN, text, (m) =>
      ssnValid(m[1] ?? '', m[3] ?? '', m[4] ?? '') ? { start: m.index, end: m.index + m[0].length } : undefined,
    ),
};

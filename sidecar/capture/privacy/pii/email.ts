import { findAll, type PiiDetector } from './detector.js';

// local@domain.tld; the domain's labels exclude '.', so the pattern cannot backtrack badly.
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

export const emailDetector: PiiDetector = {
  kind: 'email',
  mayContain: (_text, stats) => stats.at,
  find: (text) => findAll(EMAIL, text, (m) => ({ start: m.index, end: m.index + m[0].length })),
};

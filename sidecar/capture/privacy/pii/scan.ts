import { textStats, type PiiDetector, type PiiKind, type PiiMatch } from './detector.js';
import { emailDetector } from './email.js';
import { ibanDetector } from './iban.js';
import { ipAddressDetector } from './ip-address.js';
import { paymentCardDetector } from './payment-card.js';
import { phoneDetector } from './phone.js';
import { usSsnDetector } from './us-ssn.js';

/**
 * Detectors in the order they run. Order matters: e-mail addresses and IBANs contain digits that
 * the number-shaped detectors would otherwise claim, so they are replaced first.
 */
export const ALL_DETECTORS: readonly PiiDetector[] = [
  emailDetector,
  ibanDetector,
  paymentCardDetector,
  usSsnDetector,
  phoneDetector,
  ipAddressDetector,
];

export function detectorsFor(kinds: readonly PiiKind[]): PiiDetector[] {
  return ALL_DETECTORS.filter((d) => kinds.includes(d.kind));
}

export interface ScanResult {
  text: string;
  found: PiiKind[];
}

/** Replaces every match with `[<kind>]`; overlapping matches of one detector are merged. */
export function maskPii(text: string, detectors: readonly PiiDetector[]): ScanResult {
  let out = text;
  let stats = textStats(text);
  const found: PiiKind[] = [];
  for (const d of detectors) {
    if (!d.mayContain(out, stats)) continue;
    const matches = d.find(out);
    if (matches.length === 0) continue;
    out = replaceRanges(out, matches, `[${d.kind}]`);
    stats = textStats(out);
    found.push(d.kind);
  }
  return { text: out, found };
}

function replaceRanges(text: string, matches: PiiMatch[], label: string): string {
  const sorted = [...matches].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const m of sorted) {
    if (m.end <= at) continue;
    if (m.start < at) {
      at = m.end; // overlaps the previous match: already labelled
      continue;
    }
    out += text.slice(at, m.start) + label;
    at = m.end;
  }
  return out + text.slice(at);
}

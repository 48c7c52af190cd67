/**
 * A detector finds one kind of personal data in free text. Detectors are pure and linear in the
 * text's length; `mayContain` is a pre-check on counts taken once per text, so most values skip
 * every regular expression.
 */
export type PiiKind = 'email' | 'phone' | 'payment_card' | 'iban' | 'us_ssn' | 'ip_address';

export const PII_KINDS: readonly PiiKind[] = ['email', 'phone', 'payment_card', 'iban', 'us_ssn', 'ip_address'];

/** Half-open range [start, end) of the text that holds the personal data. */
export interface PiiMatch {
  start: number;
  end: number;
}

/** Counted in one pass over a text, so each detector's pre-check costs nothing. */
export interface TextStats {
  digits: number;
  at: boolean;
  colon: boolean;
  dot: boolean;
}

export function textStats(text: string): TextStats {
  const s: TextStats = { digits: 0, at: false, colon: false, dot: false };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) s.digits++;
    else if (c === 64) s.at = true;
    else if (c === 58) s.colon = true;
    else if (c === 46) s.dot = true;
  }
  return s;
}

export interface PiiDetector {
  readonly kind: PiiKind;
  /** A necessary condition for a match; false lets the text skip the regular expression. */
  mayContain(text: string, stats: TextStats): boolean;
  find(text: string): PiiMatch[];
}

/** Runs a global regular expression and keeps the matches `accept` validates. */
export function findAll(re: RegExp, text: string, accept: (m: RegExpExecArray) => PiiMatch | undefined): PiiMatch[] {
  const out: PiiMatch[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const hit = accept(m);
    if (hit) out.push(hit);
    if (m[0].length === 0) re.lastIndex++;
  }
  return out;
}

/** Sorted matches with those inside (or overlapping) an earlier, longer one merged into it. */
export function mergeOverlaps(matches: PiiMatch[]): PiiMatch[] {
  const sorted = [...matches].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: PiiMatch[] = [];
  for (const m of sorted) {
    const last = out[out.length - 1];
    if (last && m.start < last.end) last.end = Math.max(last.end, m.end);
    else out.push({ ...m });
  }
  return out;
}

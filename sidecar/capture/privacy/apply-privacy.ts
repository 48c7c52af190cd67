import { ML } from '../../../shared/attribute-keys.js';
import type { Cell, Feature } from '../extraction.js';
import { asNumber, generalise } from './generalise.js';
import { isCardNumber } from './pii/card-number.js';
import { maskPii } from './pii/scan.js';
import { findRule, type PrivacyAction, type PrivacyPolicy } from './rules.js';

export type Direction = 'input' | 'output';

/** What a masked value becomes. */
export const MASK = '[masked]';
/** What a card number sent as a number becomes (the same label the text scan uses). */
const CARD_MASK = '[payment_card]';

export interface PrivacyOutcome {
  features: Feature[];
  /** Attribute names (never values) of features dropped or masked, PII masks included. */
  redacted: string[];
}

/**
 * Applies the rules file to one side of an exchange. Runs before anything is put on a span, so a
 * value a rule removes exists only in this process's memory for the duration of the request.
 * `scanWindow` bounds the PII scan of long strings: only the first `scanWindow` characters are
 * kept and scanned (the limits step later cuts strings shorter than that).
 */
export function applyPrivacy(
  features: readonly Feature[],
  direction: Direction,
  policy: PrivacyPolicy,
  scanWindow: number,
): PrivacyOutcome {
  const prefix = direction === 'input' ? ML.inputPrefix : ML.outputPrefix;
  const out: Feature[] = [];
  const redacted: string[] = [];
  for (const f of features) {
    const rule = findRule(policy, f.name, direction);
    const action: PrivacyAction =
      rule?.action ??
      (policy.identifiers?.(f.name) ? (policy.pseudonymiser ? 'pseudonymise' : 'drop') : policy.defaultAction);
    const attr = prefix + f.name;
    switch (action) {
      case 'drop':
        redacted.push(attr);
        break;
      case 'mask':
        out.push({ ...f, values: f.values.map((v) => (v === null ? null : MASK)) });
        redacted.push(attr);
        break;
      case 'pseudonymise': {
        const p = policy.pseudonymiser;
        // Settings refuse to start without a key; masking is the safe answer should one be missing.
        out.push({
          ...f,
          values: f.values.map((v) => (v === null ? null : p ? p.pseudonymise(String(v), attr) : MASK)),
        });
        if (!p) redacted.push(attr);
        break;
      }
      case 'generalise': {
        let masked = false;
        const g = rule?.generalisation ?? { kind: 'width', width: 10, origin: 0 };
        const values = f.values.map((v): Cell => {
          if (v === null) return null;
          const n = asNumber(v);
          if (n !== undefined) return generalise(n, g);
          masked = true;
          return MASK;
        });
        out.push({ ...f, values });
        if (masked) redacted.push(attr);
        break;
      }
      case 'keep': {
        const kept = scanFeature(f, policy, rule?.scanPii ?? true, scanWindow);
        if (kept === 'drop') redacted.push(attr);
        else {
          out.push(kept.feature);
          if (kept.found) redacted.push(attr);
        }
        break;
      }
    }
  }
  return { features: out, redacted };
}

function scanFeature(
  f: Feature,
  policy: PrivacyPolicy,
  scan: boolean,
  window: number,
): { feature: Feature; found: boolean } | 'drop' {
  const { pii } = policy;
  let found = false;
  let values: Cell[] | undefined;
  const cards = scan && pii.action !== 'off' && pii.detectors.some((d) => d.kind === 'payment_card');
  for (let i = 0; i < f.values.length; i++) {
    const v = f.values[i];
    if (typeof v === 'number' && cards && isCardNumber(v)) {
      if (pii.action === 'drop') return 'drop';
      found = true;
      values ??= [...f.values];
      values[i] = CARD_MASK;
      continue;
    }
    if (typeof v !== 'string') continue;
    const text = v.length > window ? v.slice(0, window) : v;
    let next = text;
    if (scan && pii.action !== 'off') {
      const r = maskPii(text, pii.detectors);
      if (r.found.length > 0) {
        if (pii.action === 'drop') return 'drop';
        found = true;
        next = r.text;
      }
    }
    if (next !== v) {
      values ??= [...f.values];
      values[i] = next;
    }
  }
  return { feature: values ? { ...f, values } : f, found };
}

import type { CaptureSettings } from '../capture-settings.js';
import { METADATA_FIELDS, type MetadataActions } from './http-metadata-rules.js';

const PROTECTED: Readonly<Record<(typeof METADATA_FIELDS)[number], string>> = {
  'url.query': 'url.query values scanned',
  'url.full': 'url.full query scanned',
  'user_agent.original': 'user_agent.original scanned',
  'client.address': 'client.address cut to its /24 or /48',
};

/** One line on the HTTP metadata: the protected fields, and what a rules file changed. */
function metadataLine(actions: MetadataActions): string {
  const changed = METADATA_FIELDS.filter((f) => actions[f] !== 'protect').map((f) => `${f} ${actions[f]}`);
  const kept = METADATA_FIELDS.filter((f) => actions[f] === 'protect').map((f) => PROTECTED[f]);
  return `protects HTTP metadata: ${kept.length > 0 ? kept.join(', ') : 'none'}${changed.length > 0 ? `; by the rules file: ${changed.join(', ')}` : ''}`;
}

/**
 * What the sidecar prints at start about capture: what it records raw and what it protects, so a
 * person sees the consequences of the settings before the first request. Names only, never values.
 */
export function privacySummary(settings: CaptureSettings): string {
  if (!settings.enabled) return 'capture is off (INFERTRACE_CAPTURE=false): no inputs or outputs are recorded';
  const p = settings.privacy;
  const key = p.pseudonymiser
    ? `pseudonymised (HMAC key ${p.pseudonymiser.keyId})`
    : 'dropped (no key; set INFERTRACE_HMAC_KEY_FILE to keep them as pseudonyms)';
  const lines = [
    `capture rules: ${settings.rulesFile ? `${p.rules.length} rule(s) from ${settings.rulesFile}, tried first` : 'none (no rules file)'}`,
    p.identifiers
      ? `protects identifying features (names saying name, e-mail, phone, address, birth date, national/customer/account/user id, card, IBAN, IP): ${key}`
      : 'identifying features: no list (identifiers: [] in the rules file)',
    p.pii.action === 'off'
      ? 'PII scan: off (pii.action: off)'
      : `protects PII found in text and numbers (${p.pii.detectors.map((d) => d.kind).join(', ')}): ${p.pii.action === 'drop' ? 'the feature is dropped' : 'masked'}`,
    metadataLine(settings.httpMetadata),
    p.defaultAction === 'keep'
      ? 'records raw: every other feature (numbers, booleans, categorical strings); strict mode: default_action: drop in a rules file keeps only what a rule keeps'
      : `records raw: only features a rule keeps (default_action: ${p.defaultAction})`,
  ];
  return lines.join('\n  ');
}

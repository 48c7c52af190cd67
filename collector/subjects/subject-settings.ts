import type { ConfigReader, Setting } from '../../shared/config.js';
import { HMAC_SETTINGS, readPseudonymiser } from '../../shared/pseudonyms/hmac-key.js';
import type { Pseudonymiser } from '../../shared/pseudonyms/hmac.js';

/**
 * The subject-rights settings of the collector:
 *   --hmac-key-file / INFERTRACE_HMAC_KEY_FILE, INFERTRACE_HMAC_KEY, --hmac-key-id / INFERTRACE_HMAC_KEY_ID
 *       the same pseudonymisation key or keyring the sidecar uses, so a subject named by a raw id
 *       is turned into its pseudonyms under every key (read exactly as the sidecar reads them);
 *   --erasure-webhook / INFERTRACE_ERASURE_WEBHOOK
 *       a URL told about every finished erasure (request id, mode, counts, destinations; no subject).
 */
export const SUBJECT_SETTINGS = {
  ...HMAC_SETTINGS,
  erasureWebhook: { flag: 'erasure-webhook', env: 'INFERTRACE_ERASURE_WEBHOOK' },
} as const satisfies Record<string, Setting>;

export interface SubjectSettings {
  /** The keyring; undefined when no key is configured (subjects must then be named by pseudonym). */
  keyring: Pseudonymiser | undefined;
  erasureWebhook: string | undefined;
}

export function readSubjectSettings(r: ConfigReader): SubjectSettings {
  return { keyring: readPseudonymiser(r), erasureWebhook: r.url(SUBJECT_SETTINGS.erasureWebhook) };
}

import type { FlagValues, Setting } from '../../shared/config.js';
import { ConfigReader, settingName } from '../../shared/config.js';
import type { PendingOptions } from './feedback-service.js';
import { DEFAULT_PENDING_OPTIONS } from './feedback-service.js';

/**
 * The feedback settings, each from its flag, else its environment variable, else its default:
 * - INFERTRACE_FEEDBACK_OUTPUTS: which output is the prediction, per model, as `model=output`
 *   pairs separated by commas (e.g. `fraud=label,price=value`); other models use their only (or
 *   first by name) `ml.output.*`;
 * - INFERTRACE_FEEDBACK_RETRY (1m): how often pending feedback is tried again (backing off to 1h);
 * - INFERTRACE_FEEDBACK_PENDING_TTL (7d): pending feedback older than this is deleted.
 */
export const FEEDBACK_SETTINGS = {
  outputs: { flag: 'feedback-outputs', env: 'INFERTRACE_FEEDBACK_OUTPUTS' },
  retry: { flag: 'feedback-retry', env: 'INFERTRACE_FEEDBACK_RETRY' },
  pendingTtl: { flag: 'feedback-pending-ttl', env: 'INFERTRACE_FEEDBACK_PENDING_TTL' },
} as const satisfies Record<string, Setting>;

export interface FeedbackSettings {
  outputs: Readonly<Record<string, string>>;
  pending: PendingOptions;
}

export function parseOutputs(text: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const pair of text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')) {
    const m = /^([^=\s]+)\s*=\s*([^=\s]+)$/.exec(pair);
    if (!m) return undefined;
    out[m[1]!] = m[2]!.replace(/^ml\.output\./, '');
  }
  return out;
}

export function readFeedbackSettings(flags: FlagValues, env: NodeJS.ProcessEnv): Readonly<FeedbackSettings> {
  const r = new ConfigReader(flags, env);
  const s = FEEDBACK_SETTINGS;
  const outputsText = r.raw(s.outputs);
  const outputs = outputsText === undefined ? {} : parseOutputs(outputsText);
  if (outputs === undefined)
    r.problems.push(
      `${settingName(s.outputs)} must be model=output pairs separated by commas, such as fraud=label,price=value; got "${outputsText}"`,
    );
  const pending: PendingOptions = {
    ...DEFAULT_PENDING_OPTIONS,
    retryMs: r.duration(s.retry, DEFAULT_PENDING_OPTIONS.retryMs, { min: 1000 }),
    pendingTtlMs: r.duration(s.pendingTtl, DEFAULT_PENDING_OPTIONS.pendingTtlMs, { min: 1000 }),
  };
  r.done();
  return Object.freeze({ outputs: Object.freeze(outputs ?? {}), pending });
}

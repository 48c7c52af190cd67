import { parseDurationMs } from '../../shared/units.js';

/**
 * Where notifications go: a webhook taking the generic JSON body, or a Prometheus Alertmanager
 * (`url` is its base URL; alerts are POSTed to `{url}/api/v2/alerts`).
 */
const RECEIVER_FORMATS = ['generic', 'alertmanager'] as const;
type ReceiverFormat = (typeof RECEIVER_FORMATS)[number];

export interface Receiver {
  name: string;
  url: string;
  format: ReceiverFormat;
  /** While an alert fires, it is sent again this often. */
  repeatIntervalMs: number;
  /** Extra request headers, e.g. Authorization. */
  headers: Record<string, string>;
  timeoutMs: number;
}

/**
 * Alertmanager forgets an alert at its endsAt, so firing alerts must be re-sent well before that:
 * its receivers default to a 1-minute repeat (as Prometheus does), generic webhooks to 4 hours.
 */
const DEFAULT_REPEAT_MS: Record<ReceiverFormat, number> = { generic: 4 * 3_600_000, alertmanager: 60_000 };
const DEFAULT_TIMEOUT_MS = 10_000;

/** The URL a notification for this receiver is POSTed to. */
export function deliveryUrl(r: Receiver): string {
  if (r.format === 'generic') return r.url;
  const base = r.url.replace(/\/+$/, '');
  return base.endsWith('/api/v2/alerts') ? base : `${base}/api/v2/alerts`;
}

export function parseReceiver(input: unknown, at: string, problems: string[]): Receiver | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    problems.push(`${at} must be a map with name, url and format`);
    return undefined;
  }
  const raw = input as Record<string, unknown>;
  const before = problems.length;
  const known = ['name', 'url', 'format', 'repeat_interval', 'headers', 'timeout'];
  for (const key of Object.keys(raw))
    if (!known.includes(key))
      problems.push(`${at}.${key} is not a receiver key; receiver keys are ${known.join(', ')}`);
  const name = raw['name'];
  if (typeof name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(name)) {
    problems.push(`${at}.name must be a name of letters, digits, - _ . (at most 64), got ${JSON.stringify(name)}`);
  }
  const url = raw['url'];
  let okUrl = false;
  try {
    okUrl = typeof url === 'string' && ['http:', 'https:'].includes(new URL(url).protocol);
  } catch {
    okUrl = false;
  }
  if (!okUrl) problems.push(`${at}.url must be an http:// or https:// URL, got ${JSON.stringify(url)}`);
  const format = raw['format'] ?? 'generic';
  if (!(RECEIVER_FORMATS as readonly unknown[]).includes(format)) {
    problems.push(`${at}.format must be ${RECEIVER_FORMATS.join(' or ')}, got ${JSON.stringify(format)}`);
  }
  const duration = (key: string, fallback: number): number => {
    const v = raw[key];
    if (v === undefined) return fallback;
    const ms = typeof v === 'number' ? v : typeof v === 'string' ? parseDurationMs(v) : undefined;
    if (ms === undefined || !(ms > 0)) {
      problems.push(`${at}.${key} must be a duration such as 30s or 4h, got ${JSON.stringify(v)}`);
      return fallback;
    }
    return Math.round(ms);
  };
  const f = (RECEIVER_FORMATS as readonly unknown[]).includes(format) ? (format as ReceiverFormat) : 'generic';
  const repeatIntervalMs = duration('repeat_interval', DEFAULT_REPEAT_MS[f]);
  const timeoutMs = duration('timeout', DEFAULT_TIMEOUT_MS);
  const headers: Record<string, string> = {};
  const h = raw['headers'];
  if (h !== undefined) {
    if (
      typeof h !== 'object' ||
      h === null ||
      Array.isArray(h) ||
      !Object.values(h).every((v) => typeof v === 'string')
    ) {
      problems.push(`${at}.headers must be a map of header names to text`);
    } else {
      Object.assign(headers, h);
    }
  }
  if (problems.length > before) return undefined;
  return { name: name as string, url: url as string, format: f, repeatIntervalMs, headers, timeoutMs };
}

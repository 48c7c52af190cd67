import type { ConfigReader, Setting } from '../../shared/config.js';
import { settingName } from '../../shared/config.js';
import type { Destination, DestinationKind } from './destination.js';
import { destination } from './destination.js';
import type { BackoffOptions } from './retry-policy.js';

/**
 * Forwarding settings (flag → environment variable → default), for the collector's config:
 *   --forward / INFERTRACE_FORWARD                   destinations, comma-separated: `otlp=URL`,
 *                                                    `jaeger=URL` (OTLP too) or `zipkin=URL`; a bare
 *                                                    URL is Zipkin when it ends in /api/v2/spans, else OTLP
 *   --forward-max-spans / INFERTRACE_FORWARD_MAX_SPANS       outbox bound per destination (100000)
 *   --forward-batch-spans / INFERTRACE_FORWARD_BATCH_SPANS   spans per request (512)
 *   --forward-timeout / INFERTRACE_FORWARD_TIMEOUT           per attempt (10s)
 *   --forward-backoff-max / INFERTRACE_FORWARD_BACKOFF_MAX   longest wait between attempts (60s)
 */
export const FORWARD_SETTINGS = {
  forward: { flag: 'forward', env: 'INFERTRACE_FORWARD' },
  maxSpans: { flag: 'forward-max-spans', env: 'INFERTRACE_FORWARD_MAX_SPANS' },
  batchSpans: { flag: 'forward-batch-spans', env: 'INFERTRACE_FORWARD_BATCH_SPANS' },
  timeout: { flag: 'forward-timeout', env: 'INFERTRACE_FORWARD_TIMEOUT' },
  backoffMax: { flag: 'forward-backoff-max', env: 'INFERTRACE_FORWARD_BACKOFF_MAX' },
} as const satisfies Record<string, Setting>;

export interface ForwardConfig {
  destinations: Destination[];
  maxSpans: number;
  batchSpans: number;
  timeoutMs: number;
  backoff: BackoffOptions;
}

const FORWARD_DEFAULTS = {
  maxSpans: 100_000,
  batchSpans: 512,
  timeoutMs: 10_000,
  backoffBaseMs: 500,
  backoffMaxMs: 60_000,
} as const;

const KINDS: Record<string, DestinationKind> = { otlp: 'otlp', jaeger: 'otlp', zipkin: 'zipkin' };
const DEFAULT_PATH: Record<DestinationKind, string> = { otlp: '/v1/traces', zipkin: '/api/v2/spans' };

/** Parses the destination list; problems name the item so a person can fix it. */
export function parseForwardTargets(text: string): { destinations: Destination[]; problems: string[] } {
  const destinations: Destination[] = [];
  const problems: string[] = [];
  for (const item of text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')) {
    const m = /^([a-z]+)=(.*)$/i.exec(item);
    const named = m !== null && !/^https?$/i.test(m[1] as string);
    const kindName = named ? (m?.[1] as string).toLowerCase() : undefined;
    const urlText = named ? (m?.[2] as string) : item;
    if (kindName !== undefined && KINDS[kindName] === undefined) {
      problems.push(`"${item}": the kind must be otlp, jaeger or zipkin, got "${kindName}"`);
      continue;
    }
    let url: URL;
    try {
      url = new URL(urlText);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
    } catch {
      problems.push(`"${item}": "${urlText}" is not an http:// or https:// URL`);
      continue;
    }
    const kind =
      kindName !== undefined
        ? (KINDS[kindName] as DestinationKind)
        : url.pathname.endsWith('/api/v2/spans')
          ? 'zipkin'
          : 'otlp';
    if (url.pathname === '/' || url.pathname === '') url.pathname = DEFAULT_PATH[kind];
    const d = destination(kind, url.toString());
    if (!destinations.some((x) => x.key === d.key)) destinations.push(d);
  }
  return { destinations, problems };
}

/** Reads the forwarding settings; problems are collected in the reader (call `r.done()` after). */
export function readForwardConfig(r: ConfigReader): ForwardConfig {
  const { destinations, problems } = parseForwardTargets(r.raw(FORWARD_SETTINGS.forward) ?? '');
  for (const p of problems) r.problems.push(`${settingName(FORWARD_SETTINGS.forward)}: ${p}`);
  return Object.freeze({
    destinations,
    maxSpans: r.number(FORWARD_SETTINGS.maxSpans, FORWARD_DEFAULTS.maxSpans, { min: 1, integer: true }),
    batchSpans: r.number(FORWARD_SETTINGS.batchSpans, FORWARD_DEFAULTS.batchSpans, {
      min: 1,
      max: 100_000,
      integer: true,
    }),
    timeoutMs: r.duration(FORWARD_SETTINGS.timeout, FORWARD_DEFAULTS.timeoutMs, { min: 1 }),
    backoff: {
      baseMs: FORWARD_DEFAULTS.backoffBaseMs,
      maxMs: r.duration(FORWARD_SETTINGS.backoffMax, FORWARD_DEFAULTS.backoffMaxMs, { min: 1 }),
    },
  });
}

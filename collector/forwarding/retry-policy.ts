/**
 * What to do after a delivery attempt, and when to try again: pure functions.
 * - 2xx: delivered.
 * - 408, 429, 5xx, and failures to connect or to answer in time: retry later, after `Retry-After`
 *   when the destination sends one, else after an exponential backoff with full jitter.
 * - any other status (400 above all): the destination will never take this batch; drop it.
 */
export type Outcome = 'delivered' | 'retry' | 'reject';

export function classify(status: number | undefined): Outcome {
  if (status === undefined) return 'retry'; // no answer: connection refused, reset, timeout
  if (status >= 200 && status < 300) return 'delivered';
  if (status === 408 || status === 429 || status >= 500) return 'retry';
  return 'reject';
}

/** `Retry-After` as milliseconds from now: delay-seconds or an HTTP-date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, nowMs: number): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (text === undefined || text === '') return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/^[A-Za-z]{3}/.test(text)) return undefined; // HTTP-dates start with a day name
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

export interface BackoffOptions {
  /** Delay scale of the first retry, ms. */
  baseMs: number;
  /** Longest delay, ms (also caps Retry-After, so a bad header cannot stall forwarding for days). */
  maxMs: number;
}

/**
 * "Full jitter": a uniformly random delay up to base·2^(attempt-1), capped, so many collectors
 * retrying one destination spread out. `random` is in [0, 1). Never below 1 ms.
 */
export function backoffMs(attempt: number, options: BackoffOptions, random: number): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30));
  return Math.max(1, Math.floor(ceiling * random));
}

/** The delay before the next attempt: the destination's Retry-After when given (capped), else backoff. */
export function retryDelayMs(
  attempt: number,
  retryAfterMs: number | undefined,
  options: BackoffOptions,
  random: number,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, options.maxMs);
  return backoffMs(attempt, options, random);
}

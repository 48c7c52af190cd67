/**
 * Configuration helpers shared by both processes. Every setting comes from a command-line flag,
 * else its environment variable, else its default. All problems are collected and reported together
 * at start-up, each naming the flag and the variable, so a person can fix them in one go.
 */
import { parseByteSize, parseDurationMs, SIZE_HINT } from './units.js';

export type FlagValues = Record<string, string | boolean | undefined>;

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export interface Setting {
  flag?: string;
  env?: string;
}

/** How problems name a setting: `--flag / VARIABLE`. */
export function settingName(s: Setting): string {
  return [s.flag && `--${s.flag}`, s.env].filter(Boolean).join(' / ');
}

/** `1 byte`, `1KiB`, `64MiB`, `1GiB`: the largest binary unit that divides the size, for messages. */
function formatBytes(n: number): string {
  for (const [unit, size] of [
    ['TiB', 1024 ** 4],
    ['GiB', 1024 ** 3],
    ['MiB', 1024 ** 2],
    ['KiB', 1024],
  ] as const) {
    if (n >= size && n % size === 0) return `${n / size}${unit}`;
  }
  return n === 1 ? '1 byte' : `${n} bytes`;
}

/** `1ms`, `1s`, `5m`, `7d`: the largest unit that divides the duration, for messages. */
function formatMs(ms: number): string {
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

export class ConfigReader {
  readonly problems: string[] = [];

  constructor(
    private readonly flags: FlagValues,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** The raw text of a setting, or undefined when neither the flag nor the variable is set. */
  raw(s: Setting): string | undefined {
    const f = s.flag === undefined ? undefined : this.flags[s.flag];
    if (typeof f === 'string') return f;
    if (f === true) return 'true';
    const e = s.env === undefined ? undefined : this.env[s.env];
    return e === undefined || e === '' ? undefined : e;
  }

  string(s: Setting, fallback: string): string {
    return this.raw(s) ?? fallback;
  }

  required(s: Setting, hint: string): string {
    const v = this.raw(s);
    if (v === undefined) {
      this.problems.push(`${settingName(s)} is required: ${hint}`);
      return '';
    }
    return v;
  }

  number(s: Setting, fallback: number, range: { min?: number; max?: number; integer?: boolean } = {}): number {
    const text = this.raw(s);
    if (text === undefined) return fallback;
    const n = Number(text);
    const { min = -Infinity, max = Infinity, integer = false } = range;
    if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
      const kind = integer ? 'a whole number' : 'a number';
      this.problems.push(`${settingName(s)} must be ${kind} from ${min} to ${max}, got "${text}"`);
      return fallback;
    }
    return n;
  }

  port(s: Setting, fallback: number): number {
    return this.number(s, fallback, { min: 0, max: 65535, integer: true });
  }

  boolean(s: Setting, fallback: boolean): boolean {
    const text = this.raw(s);
    if (text === undefined) return fallback;
    const t = text.toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(t)) return true;
    if (['0', 'false', 'no', 'off'].includes(t)) return false;
    this.problems.push(`${settingName(s)} must be true or false, got "${text}"`);
    return fallback;
  }

  /**
   * A duration in whole milliseconds (units.ts: `500ms`, `30s`, `5m`, `7d`; a bare number is milliseconds)
   * of at least `min` (default 0). Unset: `fallback`; bad: a problem naming the setting, and `fallback`.
   */
  duration<F extends number | undefined>(s: Setting, fallback: F, range: { min?: number } = {}): number | F {
    const text = this.raw(s);
    if (text === undefined) return fallback;
    const ms = parseDurationMs(text);
    const { min = 0 } = range;
    if (ms === undefined || !Number.isInteger(ms) || ms < min) {
      const bound = min > 0 ? ` of at least ${formatMs(min)}` : '';
      this.problems.push(`${settingName(s)} must be a duration${bound}, such as 500ms, 30s, 5m or 7d; got "${text}"`);
      return fallback;
    }
    return ms;
  }

  /**
   * A size in bytes (units.ts: `65536`, `512KiB`, `64MiB`, `16GB`) from `min` (default 0) to
   * `max`. Unset: `fallback`; bad: a problem naming the setting, and `fallback`.
   */
  byteSize<F extends number | undefined>(
    s: Setting,
    fallback: F,
    range: { min?: number; max?: number } = {},
  ): number | F {
    const text = this.raw(s);
    if (text === undefined) return fallback;
    const bytes = parseByteSize(text);
    const { min = 0, max = Infinity } = range;
    if (bytes === undefined || bytes < min || bytes > max) {
      const bound =
        max < Infinity
          ? ` from ${formatBytes(min)} to ${formatBytes(max)}`
          : min > 0
            ? ` of at least ${formatBytes(min)}`
            : '';
      this.problems.push(`${settingName(s)} must be a size${bound}, ${SIZE_HINT}; got "${text}"`);
      return fallback;
    }
    return bytes;
  }

  /** An absolute http(s) URL; returns it without a trailing slash. */
  url(s: Setting, fallback?: string): string | undefined {
    const text = this.raw(s) ?? fallback;
    if (text === undefined) return undefined;
    try {
      const u = new URL(text);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http');
      return text.replace(/\/+$/, '');
    } catch {
      this.problems.push(`${settingName(s)} must be an http:// or https:// URL, got "${text}"`);
      return fallback;
    }
  }

  /** Throws a ConfigError listing every problem found, if any. */
  done(): void {
    if (this.problems.length > 0) throw new ConfigError(this.problems);
  }
}

/** Parses `host:port`, `:port` or `port` into a listen address. */
export function parseListen(text: string): { host: string; port: number } | undefined {
  const m = /^(?:(.*):)?(\d{1,5})$/.exec(text.trim());
  if (!m) return undefined;
  const port = Number(m[2]);
  if (port > 65535) return undefined;
  const host = m[1] === undefined || m[1] === '' ? '0.0.0.0' : m[1].replace(/^\[(.*)\]$/, '$1');
  return { host, port };
}

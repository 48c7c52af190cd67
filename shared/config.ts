/**
 * Configuration helpers shared by both processes. Every setting comes from a command-line flag,
 * else its environment variable, else its default. All problems are collected and reported together
 * at start-up, each naming the flag and the variable, so a person can fix them in one go.
 */
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

function describe(s: Setting): string {
  return [s.flag && `--${s.flag}`, s.env].filter(Boolean).join(' / ');
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
      this.problems.push(`${describe(s)} is required: ${hint}`);
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
      this.problems.push(`${describe(s)} must be ${kind} from ${min} to ${max}, got "${text}"`);
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
    this.problems.push(`${describe(s)} must be true or false, got "${text}"`);
    return fallback;
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
      this.problems.push(`${describe(s)} must be an http:// or https:// URL, got "${text}"`);
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

import type { ParseArgsConfig } from 'node:util';
import { parseArgs } from 'node:util';
import { ConfigError, ConfigReader } from '../../shared/config.js';
import { EXIT } from '../../shared/exit-codes.js';
import { clientToken } from './client-token.js';

/**
 * What the commands that talk to a running collector over HTTP (`trace`, `export`, `drift`) share:
 * their command line and usage text, the collector's URL (--collector, else INFERTRACE_COLLECTOR,
 * else http://localhost:4318), GETting its JSON, and reporting failures with the exit codes of
 * shared/exit-codes.ts: unavailable (the message names the URL), collectorError, usage.
 */

export const DEFAULT_COLLECTOR = 'http://localhost:4318';
const COLLECTOR_SETTING = { flag: 'collector', env: 'INFERTRACE_COLLECTOR' } as const;

export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
}

/** A command: the name its messages start with (`infertrace <name>: …`) and its --help text. */
export interface CliCommand {
  name: string;
  usage: string;
}

/** An answer of the collector: its status, its body as JSON (undefined when not JSON), the raw text. */
export interface Answer {
  status: number;
  body: unknown;
  text: string;
}

/** Writes the problem and the usage text to stderr; returns the usage exit code. */
export function usageError(command: CliCommand, io: CliIo, problem: string): number {
  io.stderr.write(`infertrace ${command.name}: ${problem}\n\n${command.usage}`);
  return EXIT.usage;
}

/**
 * The command line parsed, or the exit code when there is nothing more to do: --help printed the
 * usage (0), or the flags are wrong (64, with the problem and the usage).
 */
export function parseCommandLine<T extends ParseArgsConfig>(
  command: CliCommand,
  io: CliIo,
  config: T,
): ReturnType<typeof parseArgs<T>> | number {
  let parsed: ReturnType<typeof parseArgs<T>>;
  try {
    parsed = parseArgs(config);
  } catch (err) {
    return usageError(command, io, (err as Error).message);
  }
  if ((parsed.values as { help?: unknown }).help === true) {
    io.stdout.write(command.usage);
    return EXIT.ok;
  }
  return parsed;
}

/** The error object of the collector's JSON error body, if the body is one. */
export function errorOf(body: unknown): { code?: unknown; message?: unknown } | undefined {
  return (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
}

/** Thrown by `get` when the collector cannot be reached or does not answer in time. */
class UnreachableError extends Error {}

export class CollectorClient {
  constructor(
    private readonly command: CliCommand,
    private readonly io: CliIo,
    /** The collector's base URL, without a trailing slash. */
    readonly base: string,
    private readonly timeoutMs: number,
    /** Sent as `Authorization: Bearer`, when there is one (client-token.ts). */
    private readonly token?: string,
  ) {}

  /** GETs `path` as JSON; a failure to connect (or to answer in time) is an UnreachableError. */
  async get(path: string): Promise<Answer> {
    return this.send('GET', path);
  }

  /** POSTs `body` as JSON to `path` (as `get`). */
  async post(path: string, body: unknown): Promise<Answer> {
    return this.send('POST', path, body);
  }

  private async send(method: 'GET' | 'POST', path: string, json?: unknown): Promise<Answer> {
    let res: Response;
    let text: string;
    try {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (this.token !== undefined) headers['authorization'] = `Bearer ${this.token}`;
      if (json !== undefined) headers['content-type'] = 'application/json';
      res = await fetch(`${this.base}${path}`, {
        method,
        headers,
        signal: AbortSignal.timeout(this.timeoutMs),
        ...(json === undefined ? {} : { body: JSON.stringify(json) }),
      });
      text = await res.text();
    } catch (err) {
      throw new UnreachableError(this.reason(err), { cause: err });
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined; // not JSON: reported as a collector error with the text
    }
    return { status: res.status, body, text };
  }

  /** EXIT.unavailable for an UnreachableError, naming the URL and what to check; rethrows anything else. */
  unreachable(err: unknown): number {
    if (!(err instanceof UnreachableError)) throw err;
    this.io.stderr.write(
      `infertrace ${this.command.name}: cannot reach the collector at ${this.base} (${err.message}).\n` +
        `  Is it running? Point --collector or INFERTRACE_COLLECTOR at its URL.\n`,
    );
    return EXIT.unavailable;
  }

  /**
   * EXIT.collectorError: the collector's own error message when it answered with one; else `otherwise` when
   * given, else the start of what came back from a server that is apparently not the collector.
   */
  collectorError(answer: Answer, api: string, otherwise?: string): number {
    const message = errorOf(answer.body)?.message;
    const detail =
      typeof message === 'string'
        ? message
        : (otherwise ??
          `not ${api}'s JSON (is ${this.base} the collector's URL?): ${answer.text.slice(0, 200).replace(/\s+/g, ' ')}`);
    const hint =
      answer.status === 401 || answer.status === 403
        ? `\n  Give a token with the read scope: --token, INFERTRACE_TOKEN or INFERTRACE_TOKEN_FILE (infertrace up writes one to ./data/secrets/cli.token).`
        : '';
    this.io.stderr.write(
      `infertrace ${this.command.name}: the collector at ${this.base} answered ${answer.status}: ${detail}${hint}\n`,
    );
    return EXIT.collectorError;
  }

  private reason(err: unknown): string {
    if (err instanceof Error && err.name === 'TimeoutError') return `no answer within ${this.timeoutMs / 1000} s`;
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
  }
}

/**
 * The client of the collector named by --collector, else INFERTRACE_COLLECTOR, else the default;
 * the usage exit code (printed) when that is not an http(s) URL.
 */
export function connect(
  command: CliCommand,
  io: CliIo,
  flag: string | undefined,
  timeoutMs: number,
  tokenFlag?: string,
): CollectorClient | number {
  const config = new ConfigReader({ collector: flag }, io.env);
  const base = config.url(COLLECTOR_SETTING, DEFAULT_COLLECTOR) as string;
  try {
    config.done();
  } catch (err) {
    return usageError(command, io, err instanceof ConfigError ? err.problems.join('; ') : String(err));
  }
  const { token, problem } = clientToken(tokenFlag, io.env, base);
  if (problem !== undefined) return usageError(command, io, problem);
  return new CollectorClient(command, io, base, timeoutMs, token);
}

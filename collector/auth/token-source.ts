import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import { ConfigError } from '../../shared/config.js';
import type { TokenEntry } from './token-list.js';
import { parseTokenList } from './token-list.js';
import { TokenSet } from './token-set.js';

/**
 * Where the accepted tokens come from: the tokens file (reloaded when it changes, so a token can be
 * added or revoked without a restart) and INFERTRACE_TOKENS (fixed for the process's life).
 * At start every problem refuses the start, naming the file; on a reload, a line that does not
 * parse is left out (its token refused) and an unreadable file leaves no file tokens: a bad edit
 * closes the door rather than keeping a revoked token alive.
 */
export interface TokenSourceOptions {
  file?: string;
  /** The text of INFERTRACE_TOKENS, in the tokens file's format. */
  envText?: string;
  /** How often the file's modification time is checked. */
  reloadMs: number;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
}

export class TokenSource {
  #current: TokenSet;
  readonly #fromEnv: readonly TokenEntry[];
  readonly #options: TokenSourceOptions;
  #watching = false;

  constructor(options: TokenSourceOptions) {
    this.#options = options;
    const problems: string[] = [];
    const env = parseTokenList(options.envText ?? '', 'INFERTRACE_TOKENS');
    problems.push(...env.problems);
    this.#fromEnv = env.entries;
    let fromFile: TokenEntry[] = [];
    if (options.file !== undefined) {
      const file = readTokensFile(options.file);
      if (typeof file === 'string') problems.push(file);
      else {
        problems.push(...file.problems);
        fromFile = file.entries;
      }
    }
    if (problems.length > 0) throw new ConfigError(problems);
    this.#current = new TokenSet([...this.#fromEnv, ...fromFile]);
  }

  get current(): TokenSet {
    return this.#current;
  }

  /** Starts checking the file for changes (nothing to do without a file). */
  watch(): void {
    const file = this.#options.file;
    if (file === undefined || this.#watching) return;
    this.#watching = true;
    watchFile(file, { interval: this.#options.reloadMs, persistent: false }, (now, before) => {
      if (now.mtimeMs !== before.mtimeMs || now.size !== before.size || now.ino !== before.ino) this.reload();
    });
  }

  /** Reads the file again now. */
  reload(): void {
    const file = this.#options.file;
    if (file === undefined) return;
    const read = readTokensFile(file);
    if (typeof read === 'string') {
      this.#options.log('error', `${read}; until it can be read, only INFERTRACE_TOKENS tokens are accepted`);
      this.#current = new TokenSet(this.#fromEnv);
      return;
    }
    for (const p of read.problems) this.#options.log('error', `${p}; this entry's token is refused`);
    this.#current = new TokenSet([...this.#fromEnv, ...read.entries]);
    this.#options.log('info', `tokens file "${file}" reloaded: ${read.entries.length} token(s)`);
  }

  close(): void {
    if (this.#watching && this.#options.file !== undefined) unwatchFile(this.#options.file);
    this.#watching = false;
  }
}

function readTokensFile(file: string): ReturnType<typeof parseTokenList> | string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return `cannot read the tokens file "${file}": ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`;
  }
  return parseTokenList(text, `tokens file "${file}"`);
}

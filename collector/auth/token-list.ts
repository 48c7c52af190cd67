import type { Scope } from './scopes.js';
import { isScope, SCOPES } from './scopes.js';
import { parseTokenHash } from './token-hash.js';

/**
 * The tokens file (and INFERTRACE_TOKENS): one token a line, `<name> <scope>[,<scope>…] sha256:<hex>`;
 * blank lines and `#` comments are ignored; in the variable, `;` also separates entries. The name is
 * what logs and answers call the token; the hash is all the collector ever knows of it.
 */
export interface TokenEntry {
  readonly name: string;
  readonly scopes: ReadonlySet<Scope>;
  readonly hash: Buffer;
}

const NAME = /^[A-Za-z0-9_.-]{1,64}$/;

const TOKEN_LINE_HELP = "<name> <scope>[,<scope>…] sha256:<hex of the token's SHA-256>";

/** Entries and the problems of the lines that are not entries (each naming the line, never its hash). */
export function parseTokenList(text: string, where: string): { entries: TokenEntry[]; problems: string[] } {
  const entries: TokenEntry[] = [];
  const problems: string[] = [];
  const names = new Set<string>();
  // Comments go first, so a ";" inside one separates nothing.
  const lines = text.split(/\r?\n/).flatMap((raw) => raw.replace(/#.*$/, '').split(';'));
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const at = `${where}: entry ${i + 1}`;
    const parts = line.split(/\s+/);
    if (parts.length !== 3) {
      problems.push(`${at}: expected ${TOKEN_LINE_HELP}`);
      return;
    }
    const [name, scopeText, hashText] = parts as [string, string, string];
    const own: string[] = [];
    if (!NAME.test(name)) own.push(`${at}: the name must be 1-64 letters, digits, '_', '.' or '-'`);
    else if (names.has(name)) own.push(`${at}: the name "${name}" is used twice`);
    const scopes = scopeText.split(',').filter((s) => s !== '');
    if (scopes.length === 0 || !scopes.every(isScope))
      own.push(`${at}: scopes must be a comma-separated list of ${SCOPES.join(', ')}`);
    const hash = parseTokenHash(hashText);
    // The value is never repeated: a person may have pasted the token itself here.
    if (hash === undefined)
      own.push(`${at}: the third field must be sha256:<64 hex digits> (the token's hash, never the token)`);
    if (own.length > 0 || hash === undefined) {
      problems.push(...own);
      return;
    }
    names.add(name);
    entries.push({ name, scopes: new Set(scopes as Scope[]), hash });
  });
  return { entries, problems };
}

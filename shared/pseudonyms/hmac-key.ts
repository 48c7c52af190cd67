import { readFileSync } from 'node:fs';
import type { ConfigReader } from '../config.js';
import { Pseudonymiser, defaultKeyId, validKeyId, type KeyEntry } from './hmac.js';
import { decodeKey } from './key-material.js';

/**
 * The settings that carry the pseudonymisation keys. The keys themselves are env/file only, never a flag.
 * INFERTRACE_HMAC_KEY holds one key (hex or base64). INFERTRACE_HMAC_KEY_FILE holds one key, or a
 * keyring: lines `<id> <key>`, the first the primary (new pseudonyms), the others older keys kept
 * for lookups; `#` starts a comment.
 */
export const HMAC_SETTINGS = {
  keyFile: { flag: 'hmac-key-file', env: 'INFERTRACE_HMAC_KEY_FILE' },
  key: { env: 'INFERTRACE_HMAC_KEY' },
  keyId: { flag: 'hmac-key-id', env: 'INFERTRACE_HMAC_KEY_ID' },
} as const;

/** Reads the key or keyring from its file or variable; every problem goes to the reader, never a key. */
export function readPseudonymiser(reader: ConfigReader): Pseudonymiser | undefined {
  const file = reader.raw(HMAC_SETTINGS.keyFile);
  const text = reader.raw(HMAC_SETTINGS.key);
  const id = reader.raw(HMAC_SETTINGS.keyId);
  if (file !== undefined && text !== undefined) {
    reader.problems.push('set only one of INFERTRACE_HMAC_KEY_FILE and INFERTRACE_HMAC_KEY');
    return undefined;
  }
  let content: string | undefined = text;
  if (file !== undefined) {
    try {
      content = readFileSync(file, 'utf8');
    } catch (err) {
      reader.problems.push(
        `--hmac-key-file / INFERTRACE_HMAC_KEY_FILE: cannot read "${file}": ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      );
      return undefined;
    }
  }
  if (content === undefined) {
    if (id !== undefined)
      reader.problems.push(
        'INFERTRACE_HMAC_KEY_ID is set but no key is: set INFERTRACE_HMAC_KEY_FILE or INFERTRACE_HMAC_KEY',
      );
    return undefined;
  }
  if (id !== undefined && !validKeyId(id)) {
    reader.problems.push(
      `--hmac-key-id / INFERTRACE_HMAC_KEY_ID must be 1-64 letters, digits, '_', '.' or '-', got "${id}"`,
    );
    return undefined;
  }
  const source = file !== undefined ? `the key file "${file}"` : 'INFERTRACE_HMAC_KEY';
  const lines = content
    .split(/\r?\n/)
    .map((l) => l.replace(/#.*$/, '').trim())
    .filter((l) => l !== '');
  const ring: KeyEntry[] = [];
  for (const [i, line] of lines.entries()) {
    const parts = line.split(/\s+/);
    // `<id> <key>`, or a bare key (anything else is read as one, and refused if it is not hex or base64).
    const [lineId, keyText] = parts.length === 2 ? (parts as [string, string]) : [undefined, line];
    const where = lines.length > 1 ? `${source}, key ${i + 1}` : source;
    if (lineId !== undefined && !validKeyId(lineId)) {
      reader.problems.push(`${where}: expected "<id> <key>" with an id of 1-64 letters, digits, '_', '.' or '-'`);
      return undefined;
    }
    if (lineId === undefined && lines.length > 1) {
      reader.problems.push(`${where}: a keyring needs an id before each key ("<id> <key>")`);
      return undefined;
    }
    const decoded = decodeKey(keyText);
    if ('problem' in decoded) {
      reader.problems.push(`${where} ${decoded.problem}`);
      return undefined;
    }
    ring.push({ id: lineId ?? id ?? defaultKeyId(decoded.key), key: decoded.key });
  }
  const [primary, ...older] = ring;
  if (primary === undefined) {
    reader.problems.push(`${source} holds no key`);
    return undefined;
  }
  if (new Set(ring.map((k) => k.id)).size !== ring.length) {
    reader.problems.push(`${source}: two keys share an id`);
    return undefined;
  }
  return new Pseudonymiser(primary.id, primary.key, older);
}

import { readFileSync } from 'node:fs';
import type { ConfigReader } from '../../../shared/config.js';
import { MIN_KEY_BYTES, Pseudonymiser, defaultKeyId, validKeyId } from './hmac.js';

/** The settings that carry the pseudonymisation key. The key itself is env/file only, never a flag. */
export const HMAC_SETTINGS = {
  keyFile: { flag: 'hmac-key-file', env: 'INFERTRACE_HMAC_KEY_FILE' },
  key: { env: 'INFERTRACE_HMAC_KEY' },
  keyId: { flag: 'hmac-key-id', env: 'INFERTRACE_HMAC_KEY_ID' },
} as const;

function stripNewline(buf: Buffer): Buffer {
  let end = buf.length;
  while (end > 0 && (buf[end - 1] === 0x0a || buf[end - 1] === 0x0d)) end--;
  return buf.subarray(0, end);
}

/** Reads the key from its file or variable; every problem goes to the reader. */
export function readPseudonymiser(reader: ConfigReader): Pseudonymiser | undefined {
  const file = reader.raw(HMAC_SETTINGS.keyFile);
  const text = reader.raw(HMAC_SETTINGS.key);
  const id = reader.raw(HMAC_SETTINGS.keyId);
  if (file !== undefined && text !== undefined) {
    reader.problems.push('set only one of INFERTRACE_HMAC_KEY_FILE and INFERTRACE_HMAC_KEY');
    return undefined;
  }
  let key: Buffer | undefined;
  if (file !== undefined) {
    try {
      key = stripNewline(readFileSync(file));
    } catch (err) {
      reader.problems.push(`--hmac-key-file / INFERTRACE_HMAC_KEY_FILE: cannot read "${file}": ${(err as Error).message}`);
      return undefined;
    }
  } else if (text !== undefined) {
    key = Buffer.from(text, 'utf8');
  }
  if (key === undefined) {
    if (id !== undefined) reader.problems.push('INFERTRACE_HMAC_KEY_ID is set but no key is: set INFERTRACE_HMAC_KEY_FILE or INFERTRACE_HMAC_KEY');
    return undefined;
  }
  const source = file !== undefined ? `the key file "${file}"` : 'INFERTRACE_HMAC_KEY';
  if (key.length < MIN_KEY_BYTES) {
    reader.problems.push(`${source} holds ${key.length} bytes; the HMAC key needs at least ${MIN_KEY_BYTES} (e.g. openssl rand -hex 32)`);
    return undefined;
  }
  if (id !== undefined && !validKeyId(id)) {
    reader.problems.push(`--hmac-key-id / INFERTRACE_HMAC_KEY_ID must be 1-64 letters, digits, '_', '.' or '-', got "${id}"`);
    return undefined;
  }
  return new Pseudonymiser(id ?? defaultKeyId(key), key);
}

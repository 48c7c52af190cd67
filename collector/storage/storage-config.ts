import type { ConfigReader } from '../../shared/config.js';
import { parseDurationMs } from '../../shared/time.js';
import type { SqliteStoreOptions } from './sqlite/sqlite-store.js';
import { DEFAULT_DB_PATH } from './sqlite/sqlite-store.js';

/**
 * The storage settings of `infertrace collector`, read through the shared ConfigReader (flag, then
 * environment variable, then default; problems collected for one report at start-up):
 *   --db              INFERTRACE_DB             ./data/infertrace.db  (':memory:' allowed)
 *   --retention       INFERTRACE_RETENTION      7d    (0 or off: keep spans however old)
 *   --max-db-size     INFERTRACE_MAX_DB_SIZE    1GB   (0 or off: no size limit)
 */
export interface StorageSettings {
  path: string;
  retention: { maxAgeMs: number; maxBytes: number };
}

export const DEFAULT_RETENTION = '7d';
export const DEFAULT_MAX_DB_SIZE = '1GB';

const UNITS: Record<string, number> = {
  b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40, k: 1e3, m: 1e6, g: 1e9, t: 1e12,
};

/** Parses `500MB`, `1.5GB`, `2GiB`, `1048576` (bytes), `0`/`off`; undefined when it is not a size. */
export function parseByteSize(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'off' || t === 'none') return 0;
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/.exec(t);
  if (m === null) return undefined;
  const factor = UNITS[m[2] === '' ? 'b' : (m[2] as string)];
  return factor === undefined ? undefined : Math.round(Number(m[1]) * factor);
}

/** Parses a retention age such as `7d`, `12h`, `30m`; `0`/`off` means no age limit. */
export function parseRetentionMs(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'off' || t === 'none') return 0;
  return parseDurationMs(t);
}

export function readStorageSettings(reader: ConfigReader): StorageSettings {
  const path = reader.string({ flag: 'db', env: 'INFERTRACE_DB' }, DEFAULT_DB_PATH);
  const ageSetting = { flag: 'retention', env: 'INFERTRACE_RETENTION' };
  const ageText = reader.string(ageSetting, DEFAULT_RETENTION);
  let maxAgeMs = parseRetentionMs(ageText);
  if (maxAgeMs === undefined) {
    reader.problems.push(`--retention / INFERTRACE_RETENTION must be a duration such as 7d, 12h or 30m (or off), got "${ageText}"`);
    maxAgeMs = 0;
  }
  const sizeText = reader.string({ flag: 'max-db-size', env: 'INFERTRACE_MAX_DB_SIZE' }, DEFAULT_MAX_DB_SIZE);
  let maxBytes = parseByteSize(sizeText);
  if (maxBytes === undefined) {
    reader.problems.push(`--max-db-size / INFERTRACE_MAX_DB_SIZE must be a size such as 500MB, 1GB or 2GiB (or off), got "${sizeText}"`);
    maxBytes = 0;
  }
  return { path, retention: { maxAgeMs, maxBytes } };
}

/** The options to pass to openSqliteStore for these settings. */
export function storeOptions(settings: StorageSettings): SqliteStoreOptions {
  return { path: settings.path, retention: { ...settings.retention } };
}

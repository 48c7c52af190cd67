import type { MlProtocol } from '../../shared/attribute-keys.js';
import { globToRegExp } from './privacy/glob.js';
import { isRecord, type SectionReader } from './privacy/rules-file.js';
import { modelRoute, type ModelInfo } from '../proxy/model-path.js';
import { CODECS } from './detect.js';

/**
 * `routes` in the rules file: for paths matching a pattern, fix the protocol (when detection from
 * path and body is not what you want) and name the model a path such as `/invocations` does not.
 */
export interface RouteOverride {
  readonly pattern: string;
  readonly test: RegExp;
  readonly info: ModelInfo;
}

/** The path's own reading, with the first matching override's fields taking precedence. */
export function resolveRoute(path: string, overrides: readonly RouteOverride[]): ModelInfo {
  const { protocol, modelName, modelVersion } = modelRoute(path); // the route template is the span's business
  const o = overrides.find((r) => r.test.test(path));
  return { protocol, modelName, modelVersion, ...o?.info };
}

const KEYS = ['path', 'protocol', 'model', 'version'];

export function parseRoutesSection(r: SectionReader, raw: unknown): RouteOverride[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    r.problem(['routes'], 'routes must be a list of { path, protocol, model, version }');
    return [];
  }
  const out: RouteOverride[] = [];
  raw.forEach((entry: unknown, i) => {
    const path = ['routes', i];
    if (!isRecord(entry) || typeof entry.path !== 'string' || !entry.path.startsWith('/')) {
      r.problem(path, `route ${i + 1}: needs a "path" pattern starting with "/"`);
      return;
    }
    const name = `route ${i + 1} (path "${entry.path}")`;
    r.onlyKeys(entry, path, KEYS, name);
    const info: ModelInfo = {};
    if (entry.protocol !== undefined) {
      if (typeof entry.protocol === 'string' && Object.hasOwn(CODECS, entry.protocol))
        info.protocol = entry.protocol as MlProtocol;
      else
        r.problem(
          [...path, 'protocol'],
          `${name}: unknown protocol ${JSON.stringify(entry.protocol)}; expected one of ${Object.keys(CODECS).join(', ')}`,
        );
    }
    for (const [key, field] of [
      ['model', 'modelName'],
      ['version', 'modelVersion'],
    ] as const) {
      const v = entry[key];
      if (v === undefined) continue;
      if (typeof v === 'string' || typeof v === 'number') info[field] = String(v);
      else r.problem([...path, key], `${name}: ${key} must be a string`);
    }
    out.push(Object.freeze({ pattern: entry.path, test: globToRegExp(entry.path), info: Object.freeze(info) }));
  });
  return out;
}

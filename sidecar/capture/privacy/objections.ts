import { readFileSync } from 'node:fs';
import { ENDUSER, ML } from '../../../shared/attribute-keys.js';
import type { Attributes } from '../../../shared/span-record.js';

/**
 * Objection to processing (GDPR Art. 21), on the sidecar: a deny-list of subject pseudonyms whose
 * requests are still proxied and traced but not captured (`ml.capture=skipped`,
 * `ml.capture.reason=objected`). The list is the union of a file the operator keeps and what the
 * collector says (`GET /api/subjects/objections`, pulled by objection-source.ts).
 */
export interface SubjectDenyList {
  has(pseudonym: string): boolean;
}

const PSEUDONYM = /^hmac:[A-Za-z0-9_.-]{1,64}:[0-9a-f]{64}$/;

export function isPseudonym(text: string): boolean {
  return PSEUDONYM.test(text);
}

export class Objections implements SubjectDenyList {
  private fromFile: ReadonlySet<string> = new Set();
  private fromCollector: ReadonlySet<string> = new Set();

  has(pseudonym: string): boolean {
    return this.fromFile.has(pseudonym) || this.fromCollector.has(pseudonym);
  }

  get size(): number {
    return new Set([...this.fromFile, ...this.fromCollector]).size;
  }

  setFile(pseudonyms: Iterable<string>): void {
    this.fromFile = new Set(pseudonyms);
  }

  setCollector(pseudonyms: Iterable<string>): void {
    this.fromCollector = new Set(pseudonyms);
  }
}

/**
 * Reads a deny-list file: one pseudonym (`hmac:<keyid>:<64 hex>`) per line; blank lines and lines
 * starting with `#` are ignored. Throws naming the first bad line by number (never its text: it may
 * be a raw id written there by mistake).
 */
export function readObjectionsFile(path: string): string[] {
  const out: string[] = [];
  readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .forEach((line, i) => {
      const text = line.trim();
      if (text === '' || text.startsWith('#')) return;
      if (!isPseudonym(text)) throw new Error(`line ${i + 1} is not a pseudonym of the form hmac:<keyid>:<64 hex>`);
      out.push(text);
    });
  return out;
}

/** Attributes a request of an objecting subject keeps: which model it was, and whose; nothing captured. */
const KEPT = [ML.protocol, ML.modelName, ML.modelVersion, ENDUSER.pseudoId];

/**
 * The capture decision's objection check: when any subject of the request is on the deny-list,
 * the attributes to put on the span instead of the capture; else undefined (capture goes on).
 */
export function objectedCapture(list: SubjectDenyList | undefined, attrs: Attributes): Attributes | undefined {
  if (list === undefined) return undefined;
  const v = attrs[ENDUSER.pseudoId];
  const subjects = typeof v === 'string' ? [v] : Array.isArray(v) ? v : [];
  if (!subjects.some((p) => typeof p === 'string' && list.has(p))) return undefined;
  const out: Attributes = {};
  for (const key of KEPT) if (attrs[key] !== undefined) out[key] = attrs[key];
  out[ML.capture] = 'skipped';
  out[ML.captureReason] = 'objected';
  return out;
}

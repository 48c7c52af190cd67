import { readFileSync } from 'node:fs';
import { LineCounter, isMap, isNode, isScalar, parseDocument } from 'yaml';

export type DocPath = readonly (string | number)[];

/**
 * The capture rules file, read once at start-up. YAML or JSON (JSON is YAML); every later problem
 * is reported as `<file>:<line>` so a person can go straight to the offending rule.
 */
export interface RulesDocument {
  readonly file: string;
  readonly data: unknown;
  /** `file:line` of the node at `path` (or of the closest parent that exists). */
  where(path: DocPath): string;
}

/** Reads and parses the file; returns undefined (with the problem recorded) when it cannot. */
export function readRulesFile(file: string, problems: string[], setting: string): RulesDocument | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    problems.push(`${setting}: cannot read the rules file "${file}": ${(err as Error).message}`);
    return undefined;
  }
  return parseRulesText(file, text, problems, setting);
}

export function parseRulesText(
  file: string,
  text: string,
  problems: string[],
  setting: string,
): RulesDocument | undefined {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first !== undefined) {
    const line = first.linePos?.[0].line ?? lines.linePos(first.pos[0]).line;
    problems.push(`${setting}: ${file}:${line}: the rules file does not parse: ${first.message.split('\n')[0]}`);
    return undefined;
  }
  const data: unknown = doc.toJS() ?? {};
  return {
    file,
    data,
    where(path: DocPath): string {
      for (let n = path.length; n >= 0; n--) {
        // A mapping entry is located by its key, so `acton: drop` points at the line of `acton`.
        const parent: unknown = n <= 1 ? doc.contents : doc.getIn(path.slice(0, n - 1), true);
        const key = path[n - 1];
        const pair =
          n > 0 && isMap(parent) ? parent.items.find((p) => isScalar(p.key) && p.key.value === key) : undefined;
        const node: unknown = pair?.key ?? (n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true));
        if (isNode(node) && node.range) return `${file}:${lines.linePos(node.range[0]).line}`;
      }
      return file;
    },
  };
}

/** A small reader over plain parsed data that reports type problems with their location. */
export class SectionReader {
  constructor(
    readonly doc: RulesDocument,
    readonly problems: string[],
    readonly setting: string,
  ) {}

  problem(path: DocPath, message: string): void {
    this.problems.push(`${this.setting}: ${this.doc.where(path)}: ${message}`);
  }

  /** Reports keys outside `allowed` (usually typos such as `acton`). */
  onlyKeys(obj: Record<string, unknown>, path: DocPath, allowed: readonly string[], what: string): void {
    for (const k of Object.keys(obj)) {
      if (!allowed.includes(k))
        this.problem([...path, k], `${what}: unknown key "${k}"; expected one of ${allowed.join(', ')}`);
    }
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

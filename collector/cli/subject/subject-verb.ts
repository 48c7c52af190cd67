import { readFileSync } from 'node:fs';
import type { CliIo, CollectorClient } from '../collector-client.js';

/**
 * One verb of `infertrace subject <verb>`: its usage line, its own flags, and what it does. The
 * verbs table is collector/cli/subject.ts; each verb lives in a file of its own here.
 */
export interface SubjectVerb {
  name: string;
  /** `erase <subject> [--mode delete|anonymise]`: one line of the usage text. */
  usage: string;
  /** Flags beyond the common ones (--collector, --token, --json, --help). */
  options?: Record<string, { type: 'string' | 'boolean' }>;
  /** Whether it talks to the collector (then `client` is given). */
  remote: boolean;
  run(input: VerbInput): Promise<number>;
}

export interface VerbInput {
  positionals: string[];
  values: Record<string, string | boolean | undefined>;
  io: CliIo;
  client?: CollectorClient;
}

/** The subject argument; `-` reads it from standard input, so a raw id stays out of the shell history. */
export function subjectArgument(text: string): string {
  return text === '-' ? readFileSync(0, 'utf8').trim() : text;
}

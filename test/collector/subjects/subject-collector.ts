import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCollectorConfig } from '../../../collector/config.js';
import { startCollector, type RunningCollector } from '../../../collector/main.js';
import type { OpenedParts } from '../../../collector/composition.js';
import { bearer, ONLY, tokenLines } from '../auth/tokens.js';

/** The test key ring of the subject tests: a primary and an older key. */
export const KEYRING_TEXT = `k2 ${'22'.repeat(32)}\nk1 ${'11'.repeat(32)}\n`;

/** A collector on loopback port 0 with tokens per scope and the test keyring, over a fresh database. */
export interface SubjectCollector {
  collector: RunningCollector;
  dir: string;
  db: string;
  parts(): OpenedParts;
  /** JSON request with the privacy token (or the one given). */
  call(method: 'GET' | 'POST', path: string, body?: unknown, token?: string): Promise<{ status: number; body: any }>;
  /** Stops the collector (the database stays, closed). */
  stop(): Promise<void>;
  /** Stops it and removes its folder. */
  close(): Promise<void>;
}

export async function startSubjectCollector(
  flags: Record<string, string> = {},
  dir?: string,
): Promise<SubjectCollector> {
  const folder = dir ?? mkdtempSync(join(tmpdir(), 'infertrace-subjects-'));
  const keyFile = join(folder, 'hmac.key');
  writeFileSync(keyFile, KEYRING_TEXT, { mode: 0o600 });
  const db = join(folder, 'c.db');
  const config = readCollectorConfig(
    { port: '0', host: '127.0.0.1', db, retention: '0', 'hmac-key-file': keyFile, ...flags },
    { INFERTRACE_TOKENS: tokenLines(), INFERTRACE_LOG_LEVEL: 'silent' },
  );
  const collector = await startCollector(config);
  await collector.opening.opened();
  return {
    collector,
    dir: folder,
    db,
    parts: () => collector.opening.current(),
    async call(method, path, body, token = ONLY.privacy) {
      const res = await fetch(`${collector.url}${path}`, {
        method,
        headers: { ...bearer(token), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
    },
    stop: () => collector.close(),
    async close() {
      await collector.close();
      if (dir === undefined) rmSync(folder, { recursive: true, force: true });
    },
  };
}

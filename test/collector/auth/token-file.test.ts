import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tokenHashText } from '../../../collector/auth/token-hash.js';
import { readCollectorConfig } from '../../../collector/config.js';
import type { RunningCollector } from '../../../collector/main.js';
import { startCollector } from '../../../collector/main.js';
import { ConfigError } from '../../../shared/config.js';
import { bearer } from './tokens.js';

const dir = mkdtempSync(join(tmpdir(), 'infertrace-tokens-file-'));
let collector: RunningCollector | undefined;

afterEach(async () => {
  await collector?.close();
  collector = undefined;
});

function config(file: string) {
  return readCollectorConfig(
    {
      port: '0',
      host: '127.0.0.1',
      db: ':memory:',
      'log-level': 'silent',
      'tokens-file': file,
      'tokens-reload': '20ms',
    },
    {},
  );
}

async function statusWith(token: string): Promise<number> {
  return (await fetch(`${(collector as RunningCollector).url}/api/services`, { headers: bearer(token) })).status;
}

async function until(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
}

describe('the tokens file', () => {
  it('is reloaded when it changes: a token added works, a token removed (revoked) is refused', async () => {
    const file = join(dir, 'reload');
    writeFileSync(file, `old read ${tokenHashText('old-token')}\n`);
    collector = await startCollector(config(file));
    expect(await statusWith('old-token')).toBe(200);
    expect(await statusWith('new-token')).toBe(401);

    writeFileSync(file, `new read ${tokenHashText('new-token')}\n# old revoked\n`);
    await until(async () => (await statusWith('new-token')) === 200);
    expect(await statusWith('new-token')).toBe(200);
    expect(await statusWith('old-token')).toBe(401);
  });

  it("closes on an edit that does not parse: the bad entry's token is refused, the others still work", async () => {
    const file = join(dir, 'bad-edit');
    writeFileSync(file, `a read ${tokenHashText('token-a')}\nb read ${tokenHashText('token-b')}\n`);
    collector = await startCollector(config(file));
    writeFileSync(file, `a read ${tokenHashText('token-a')}\nb read,rule-the-world ${tokenHashText('token-b')}\n`);
    await until(async () => (await statusWith('token-b')) === 401);
    expect(await statusWith('token-b')).toBe(401);
    expect(await statusWith('token-a')).toBe(200);
  });

  it('refuses to start when the file cannot be read, naming it', async () => {
    // Mode 000 stops everyone but root; a directory in its place stops root too.
    const file = join(dir, 'unreadable');
    if (process.getuid?.() === 0) mkdirSync(file);
    else {
      writeFileSync(file, `a read ${tokenHashText('token-a')}\n`);
      chmodSync(file, 0o000);
    }
    await expect(startCollector(config(file))).rejects.toThrow(ConfigError);
    await expect(startCollector(config(file))).rejects.toThrow(`cannot read the tokens file "${file}"`);
  });

  it('refuses to start when the file is missing or holds a malformed line, naming it', async () => {
    await expect(startCollector(config(join(dir, 'missing')))).rejects.toThrow(
      `cannot read the tokens file "${join(dir, 'missing')}": ENOENT`,
    );
    const file = join(dir, 'malformed');
    writeFileSync(file, 'a read the-token-itself\n');
    const err = await startCollector(config(file)).catch((e: unknown) => e);
    expect(String(err)).toContain(`tokens file "${file}": entry 1`);
    expect(String(err)).not.toContain('the-token-itself');
  });
});

process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

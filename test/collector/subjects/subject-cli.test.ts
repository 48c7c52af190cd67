import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../../collector/cli/subject.js';
import { Pseudonymiser, SUBJECT_PURPOSE } from '../../../shared/pseudonyms/hmac.js';
import { runCli } from '../support/cli-io.js';

const dir = mkdtempSync(join(tmpdir(), 'infertrace-subject-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('infertrace subject id', () => {
  it('prints the pseudonym under every key, the primary first, computed locally', async () => {
    const keyFile = join(dir, 'ring');
    writeFileSync(keyFile, `k2 ${'22'.repeat(32)}\nk1 ${'11'.repeat(32)}\n`);
    const ring = new Pseudonymiser('k2', Buffer.alloc(32, 0x22), [{ id: 'k1', key: Buffer.alloc(32, 0x11) }]);
    const res = await runCli(run, ['id', 'alice', '--hmac-key-file', keyFile], {});
    expect(res.code).toBe(0);
    expect(res.stdout.trim().split('\n')).toEqual(ring.candidates('alice', SUBJECT_PURPOSE));
  });

  it.each([
    ['no key', ['id', 'alice'], {}, 78],
    ['no raw id', ['id'], { INFERTRACE_HMAC_KEY: '33'.repeat(32) }, 64],
    ['an unknown verb', ['forget', 'alice'], {}, 64],
  ])('fails with %s', async (_name, argv, env, code) => {
    const res = await runCli(run, argv, { ...env, INFERTRACE_HMAC_KEY_FILE: undefined });
    expect(res.code).toBe(code);
    expect(res.stderr).not.toContain('alice');
  });
});

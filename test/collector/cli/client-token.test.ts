import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clientToken } from '../../../collector/cli/client-token.js';

const dir = mkdtempSync(join(tmpdir(), 'infertrace-client-token-'));
const file = join(dir, 'cli.token');
writeFileSync(file, 'from-file\n');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the token the CLI sends', () => {
  it.each([
    [
      '--token wins',
      'from-flag',
      { INFERTRACE_TOKEN: 'from-env', INFERTRACE_TOKEN_FILE: file },
      { token: 'from-flag' },
    ],
    [
      'then INFERTRACE_TOKEN',
      undefined,
      { INFERTRACE_TOKEN: 'from-env', INFERTRACE_TOKEN_FILE: file },
      { token: 'from-env' },
    ],
    ['then the file INFERTRACE_TOKEN_FILE names', undefined, { INFERTRACE_TOKEN_FILE: file }, { token: 'from-file' }],
    [
      'a file that cannot be read is a problem',
      undefined,
      { INFERTRACE_TOKEN_FILE: join(dir, 'none') },
      { problem: `INFERTRACE_TOKEN_FILE: cannot read "${join(dir, 'none')}"` },
    ],
  ])('%s', (_name, flag, env, expected) => {
    expect(clientToken(flag, env, 'http://127.0.0.1:4318')).toEqual(expected);
  });

  it('never sends the local token up wrote to a collector on another machine', () => {
    expect(clientToken(undefined, {}, 'https://collector.example.com')).toEqual({});
  });
});

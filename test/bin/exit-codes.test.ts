import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../shared/exit-codes.js';
import { runTestChild } from '../support/child-processes.js';
import { repoRoot } from '../support/repo-root.js';

/** Runs `infertrace …` as a user does; resolves to its exit status and what it wrote to stderr. */
async function infertrace(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stderr: string }> {
  const { code, stderr } = await runTestChild(process.execPath, ['--import', 'tsx', 'bin/infertrace.ts', ...args], {
    cwd: repoRoot,
    env: { ...process.env, INFERTRACE_COLLECTOR: '', ...env },
  });
  return { code, stderr };
}

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

describe('exit codes: one meaning each, whatever the command', () => {
  it('gives every meaning its own number', () => {
    const values = Object.values(EXIT);
    expect(new Set(values).size).toBe(values.length);
  });

  it.each([
    ['an unknown command', EXIT.usage, ['nope'], /unknown command "nope"/],
    ['an unknown flag of a server', EXIT.usage, ['collector', '--bogus'], /bogus/],
    ['a bad setting of a server', EXIT.config, ['collector', '--port', 'x'], /INFERTRACE_PORT/],
    [
      'a bad setting of the sidecar',
      EXIT.config,
      ['sidecar', '--upstream', 'http://127.0.0.1:9', '--listen', 'x:y:z'],
      /INFERTRACE_LISTEN/,
    ],
    ['an unknown flag of a client command', EXIT.usage, ['trace', 'abc', '--bogus'], /bogus/],
  ])('%s exits %i', async (_name, code, args, message) => {
    const out = await infertrace(args);
    expect(out.stderr).toMatch(message);
    expect(out.code).toBe(code);
  });

  it('a client command exits EX_UNAVAILABLE when the collector cannot be reached', async () => {
    const out = await infertrace(['trace', 'req-1', '--collector', `http://127.0.0.1:${await closedPort()}`]);
    expect(out.stderr).toMatch(/cannot reach the collector/);
    expect(out.code).toBe(EXIT.unavailable);
  });
});

import type { CliIo } from '../../../collector/cli/collector-client.js';

/** An io for a command's `run(argv, io)` that keeps what the command writes. */
export function capturedIo(env: NodeJS.ProcessEnv = {}): { out: { stdout: string; stderr: string }; io: CliIo } {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: {
      stdout: { write: (t: string) => (out.stdout += t) },
      stderr: { write: (t: string) => (out.stderr += t) },
      env,
    },
  };
}

/** Runs a command with its output captured: the exit code and what it wrote. */
export async function runCli(
  run: (argv: string[], io: CliIo) => Promise<number>,
  argv: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const { out, io } = capturedIo(env);
  const code = await run(argv, io);
  return { code, ...out };
}

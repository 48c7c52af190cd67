import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { spawnTestChild } from '../../support/child-processes.js';
import { repoRoot } from '../../support/repo-root.js';

/**
 * `infertrace collector` as a real child process (`node --import tsx bin/infertrace.ts`), on
 * 127.0.0.1 and a free port, optionally started through a wrapper command (unshare, for tests that
 * need a read-only or full file system of their own). Started through spawnTestChild, so
 * reapTestChildren ends it whatever the test did.
 */
export interface CollectorProcess {
  child: ChildProcess;
  pid: number;
  url: string;
  output(): string;
  /** Resolves with how the process ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface StartProcessOptions {
  /** A command (and its arguments) that runs the rest of the command line, e.g. ['unshare', ...]. */
  wrap?: string[];
  env?: NodeJS.ProcessEnv;
}

export async function startCollectorProcess(
  args: string[],
  options: StartProcessOptions = {},
): Promise<CollectorProcess> {
  const command = [
    ...(options.wrap ?? []),
    process.execPath,
    '--import',
    'tsx',
    join(repoRoot, 'bin', 'infertrace.ts'),
    'collector',
    '--host',
    '127.0.0.1',
    '--port',
    '0',
    '--log-level',
    'warn',
    ...args,
  ];
  const child = spawnTestChild(command[0] as string, command.slice(1), {
    cwd: repoRoot,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  const url = await new Promise<string>((resolve, reject) => {
    const look = (): void => {
      const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(output);
      if (m) {
        child.stdout?.off('data', look);
        resolve(m[1] as string);
      }
    };
    child.stdout?.on('data', look);
    void exited.then(({ code, signal }) =>
      reject(new Error(`the collector exited (${code ?? signal}) before listening:\n${output}`)),
    );
  });
  return { child, pid: child.pid as number, url, output: () => output, exited };
}

/** Sends a signal to the process it started, and waits for it to end. */
export async function stopProcess(
  p: CollectorProcess,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill(signal);
  return p.exited;
}

import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { spawn } from 'node:child_process';

/**
 * Every process a test starts goes through spawnTestChild, so none outlives the suite:
 * - it runs in a process group of its own (detached), so killing the group also ends what it
 *   started in turn (`node --import tsx` may leave helpers behind);
 * - reapTestChildren, called from afterEach/afterAll (and after every test file by
 *   test/support/reap-children.setup.ts), kills those groups and waits for the children to end,
 *   also when a test failed or timed out half-way;
 * - its environment carries TEST_CHILD_MARK set to this run's id, which the suite teardown
 *   (test/support/leftover-children.global.ts) looks for to fail a run that left one behind.
 */
export const TEST_RUN_ID = 'INFERTRACE_TEST_RUN_ID';
export const TEST_CHILD_MARK = 'INFERTRACE_TEST_CHILD';

const started = new Set<ChildProcess>();

export function spawnTestChild(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  const env = { ...(options.env ?? process.env), [TEST_CHILD_MARK]: process.env[TEST_RUN_ID] ?? 'no-run-id' };
  const child = spawn(command, args, { ...options, env, detached: true });
  started.add(child);
  return child;
}

const hasEnded = (child: ChildProcess): boolean => child.exitCode !== null || child.signalCode !== null;

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err; // ESRCH: the group has ended
  }
}

/** Kills every process group started since the last call and waits until each child has exited. */
export async function reapTestChildren(): Promise<void> {
  const children = [...started];
  started.clear();
  await Promise.all(
    children.map(async (child) => {
      if (child.pid === undefined) return; // it never started
      const exited = hasEnded(child)
        ? Promise.resolve()
        : new Promise<void>((resolve) => child.once('exit', () => resolve()));
      killGroup(child.pid);
      await exited;
    }),
  );
}

/** Runs a command to its end (as spawnTestChild starts it) and gives back its exit code and output. */
export function runTestChild(
  command: string,
  args: readonly string[],
  options: SpawnOptions = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnTestChild(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

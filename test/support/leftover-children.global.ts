import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { TEST_CHILD_MARK, TEST_RUN_ID } from './child-processes.js';

/**
 * Suite-wide check that no process started by the tests outlives them: setup gives the run an id
 * (inherited by the test workers, stamped on their children by spawnTestChild); teardown looks
 * through /proc for processes carrying it, kills them, and fails the run naming them.
 */
export function setup(): void {
  process.env[TEST_RUN_ID] = randomBytes(8).toString('hex');
}

function markedProcesses(mark: string): { pid: number; command: string }[] {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return []; // no /proc (not Linux): nothing to check
  }
  const found: { pid: number; command: string }[] = [];
  for (const pid of pids) {
    try {
      if (!readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(mark)) continue;
      found.push({
        pid: Number(pid),
        command: readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim(),
      });
    } catch {
      // Ended meanwhile, or not ours to read.
    }
  }
  return found;
}

export function teardown(): void {
  const runId = process.env[TEST_RUN_ID];
  if (runId === undefined) return;
  const left = markedProcesses(`${TEST_CHILD_MARK}=${runId}`);
  if (left.length === 0) return;
  for (const { pid } of left) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  // Vitest reports an error thrown here but still exits 0: set the exit code too.
  process.exitCode = 1;
  throw new Error(
    `tests left ${left.length} process(es) running (now killed):\n${left.map((p) => `  ${p.pid} ${p.command}`).join('\n')}`,
  );
}

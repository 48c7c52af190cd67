import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * Lowers the calling thread's scheduling priority to `nice` (Linux: a thread's nice value is its
 * own; /proc/thread-self names the thread). Capture threads run below the proxy's event loop, so
 * on a busy machine the CPU goes to proxying requests first and capture falls behind (and sheds)
 * instead of delaying model calls. Elsewhere, or when refused, the thread keeps its priority.
 */
export function lowerThreadPriority(nice: number): boolean {
  if (nice <= 0) return false;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0) return false;
    setPriority(tid, nice);
    return true;
  } catch {
    return false;
  }
}

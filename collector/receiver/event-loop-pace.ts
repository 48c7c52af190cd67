import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Keeps long request work from holding the event loop: the work asks `due()` as it goes, and when
 * it has run for SLICE_MS since it last gave way, awaits `giveWay()` — one turn of the event loop,
 * in which sockets (other requests, /healthz) are served before it carries on.
 */
const SLICE_MS = 8;

export class EventLoopPace {
  private since = performance.now();

  due(): boolean {
    return performance.now() - this.since >= SLICE_MS;
  }

  async giveWay(): Promise<void> {
    await nextTurn();
    this.since = performance.now();
  }
}

/** The items of `items` in an array, giving way to the event loop as the pace asks. */
export async function collectPaced<T>(items: Iterable<T>, pace: EventLoopPace): Promise<T[]> {
  const out: T[] = [];
  for (const item of items) {
    out.push(item);
    if ((out.length & 63) === 0 && pace.due()) await pace.giveWay();
  }
  return out;
}

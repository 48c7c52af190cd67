import type { SpanStore } from '../collector/storage/span-store.js';
import type { SpanRecord } from '../shared/span-record.js';

/**
 * Timing for the collector benchmarks that compare two sides in the same run (store vs raw insert,
 * drift on vs off): each side's spans, wall time and CPU time, added up over alternated chunks.
 */
export interface Tally {
  spans: number;
  wallMs: number;
  cpuUs: number;
}

export const newTally = (): Tally => ({ spans: 0, wallMs: 0, cpuUs: 0 });

/** Runs `work` over `spans` spans, adds its wall and CPU time to `t`; returns this run's spans/s. */
export async function timed(t: Tally, spans: number, work: () => Promise<void> | void): Promise<number> {
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  await work();
  const ms = performance.now() - w0;
  const cpu = process.cpuUsage(c0);
  t.spans += spans;
  t.wallMs += ms;
  t.cpuUs += cpu.user + cpu.system;
  return spans / (ms / 1000);
}

/** Spans per second of wall time, over all runs. */
export const rate = (t: Tally): number => Math.round(t.spans / (t.wallMs / 1000));

/** CPU microseconds per span, over all runs. */
export const cpuPerSpan = (t: Tally): string => (t.cpuUs / t.spans).toFixed(1);

/** Writes the batches with `senders` concurrent writers, as several sidecars exporting at once. */
export async function writeConcurrently(
  store: Pick<SpanStore, 'writeSpans'>,
  batches: SpanRecord[][],
  senders: number,
): Promise<void> {
  let next = 0;
  const sender = async (): Promise<void> => {
    while (next < batches.length) await store.writeSpans(batches[next++] as SpanRecord[]);
  };
  await Promise.all(Array.from({ length: senders }, sender));
}

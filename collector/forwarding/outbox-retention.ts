import type { RecordSet } from '../retention/retention-area.js';
import { BATCH_ROWS, cutoffOf } from '../retention/retention-area.js';
import type { Outbox } from './outbox.js';

/**
 * Retention of the export outbox, by age and by size: rows older than the age limit go whether
 * delivered or not (a destination down that long would get stale data anyway), and while the
 * fragments hold more than the size limit the oldest rows go, down to 90 % of it so the next pass
 * has nothing to do at the edge. Rows being sent are left to their sender. The per-lane bound in
 * spans (--forward-max-spans) still applies when rows are added.
 */
export function outboxRecordSet(outbox: Outbox): RecordSet {
  return {
    name: 'export_outbox',
    table: 'export_outbox',
    async prune(nowMs, limit, step) {
      let total = 0;
      const cutoff = cutoffOf(nowMs, limit);
      if (cutoff !== undefined) {
        // Rows in flight stay (they are each lane's oldest few): a batch of only those ends the loop.
        let more = true;
        while (more) {
          total += await step(() => {
            const dropped = outbox.dropOldest(cutoff, BATCH_ROWS);
            more = dropped.scanned === BATCH_ROWS && dropped.rows > 0;
            return dropped.rows;
          });
        }
      }
      const maxBytes = limit.maxBytes ?? 0;
      if (maxBytes > 0) {
        const bytes = outbox.bytes();
        let over = bytes > maxBytes ? bytes - maxBytes * 0.9 : 0;
        while (over > 0) {
          let freed = 0;
          const n = await step(() => {
            const dropped = outbox.dropOldest(Number.MAX_SAFE_INTEGER, BATCH_ROWS, over);
            freed = dropped.bytes;
            return dropped.rows;
          });
          if (n === 0) break; // only rows in flight are left
          total += n;
          over -= freed;
        }
      }
      return total;
    },
    oldest: () => outbox.firstCreatedMs(),
    rows: () => outbox.rowCount(),
    extra: () => ({ bytes: outbox.bytes() }),
  };
}

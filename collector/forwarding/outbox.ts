import type Database from 'better-sqlite3';
import { OUTBOX_TABLE } from './outbox-schema.js';

/**
 * The durable queue of spans waiting to be forwarded, one lane per destination, in the collector's
 * SQLite database: what is added survives a restart, and is removed only once delivered or given
 * up. Each lane is bounded (in spans); adding beyond the bound drops the lane's OLDEST waiting rows
 * (a destination that has been down longest loses its stalest data) and returns how many spans
 * that dropped. Rows being sent are never dropped under the sender.
 */
export interface OutboxRow {
  id: number;
  spanCount: number;
  attempts: number;
  createdMs: number;
  fragment: string;
}

export interface OutboxFragment {
  spanCount: number;
  fragment: string;
}

export class Outbox {
  private readonly pending = new Map<string, number>();
  /** Per lane, the highest id handed to the sender and not yet settled. */
  private readonly inFlightUpTo = new Map<string, number>();
  private readonly st;
  private readonly addAll;

  constructor(
    private readonly db: Database.Database,
    private readonly maxSpans: number,
    private readonly now: () => number = Date.now,
  ) {
    const t = OUTBOX_TABLE;
    this.st = {
      insert: db.prepare(`INSERT INTO ${t} (destination, span_count, created_ms, fragment) VALUES (?, ?, ?, ?)`),
      oldestAfter: db.prepare(
        `SELECT id, span_count AS spanCount FROM ${t} WHERE destination = ? AND id > ? ORDER BY id LIMIT 1`,
      ),
      take: db.prepare(
        `SELECT id, span_count AS spanCount, attempts, created_ms AS createdMs, fragment FROM ${t} WHERE destination = ? ORDER BY id LIMIT ?`,
      ),
      remove: db.prepare(`DELETE FROM ${t} WHERE id = ?`),
      failed: db.prepare(`UPDATE ${t} SET attempts = attempts + 1 WHERE id = ?`),
      sum: db.prepare(`SELECT COALESCE(SUM(span_count), 0) AS n FROM ${t} WHERE destination = ?`),
      oldest: db.prepare(`SELECT MIN(created_ms) AS at FROM ${t} WHERE destination = ?`),
      lanes: db.prepare(`SELECT destination, SUM(span_count) AS n FROM ${t} GROUP BY destination`),
      clear: db.prepare(`DELETE FROM ${t} WHERE destination = ?`),
    };
    this.addAll = db.transaction((key: string, fragments: readonly OutboxFragment[]): number => {
      const created = this.now();
      let pending = this.pendingSpans(key);
      for (const f of fragments) {
        this.st.insert.run(key, f.spanCount, created, f.fragment);
        pending += f.spanCount;
      }
      let dropped = 0;
      const floor = this.inFlightUpTo.get(key) ?? 0;
      while (pending > this.maxSpans) {
        const oldest = this.st.oldestAfter.get(key, floor) as { id: number; spanCount: number } | undefined;
        if (oldest === undefined) break; // only rows in flight are left: they settle soon
        this.st.remove.run(oldest.id);
        pending -= oldest.spanCount;
        dropped += oldest.spanCount;
      }
      this.pending.set(key, pending);
      return dropped;
    });
  }

  /** Adds fragments to a lane in one transaction; returns the spans dropped to stay within the bound. */
  add(key: string, fragments: readonly OutboxFragment[]): number {
    return fragments.length === 0 ? 0 : this.addAll.immediate(key, fragments);
  }

  /** The oldest rows of a lane holding at most maxSpans spans (always at least one row, if any). */
  take(key: string, maxSpans: number): OutboxRow[] {
    const rows: OutboxRow[] = [];
    let spans = 0;
    for (const row of this.st.take.iterate(key, Math.max(1, maxSpans)) as Iterable<OutboxRow>) {
      if (rows.length > 0 && spans + row.spanCount > maxSpans) break;
      rows.push(row);
      spans += row.spanCount;
    }
    const last = rows[rows.length - 1];
    if (last !== undefined) this.inFlightUpTo.set(key, last.id);
    return rows;
  }

  /** Deletes settled rows (delivered, or given up); returns the spans they held. */
  remove(key: string, rows: readonly OutboxRow[]): number {
    let removed = 0;
    this.db
      .transaction(() => {
        for (const row of rows) if (this.st.remove.run(row.id).changes > 0) removed += row.spanCount;
      })
      .immediate();
    this.pending.set(key, Math.max(0, this.pendingSpans(key) - removed));
    this.inFlightUpTo.delete(key);
    return removed;
  }

  /** Records a failed attempt on rows that stay queued. */
  markFailed(key: string, rows: readonly OutboxRow[]): void {
    this.db
      .transaction(() => {
        for (const row of rows) this.st.failed.run(row.id);
      })
      .immediate();
    this.inFlightUpTo.delete(key);
  }

  /** Forgets the cached lane sizes (rows were changed outside this class: an erasure). */
  recount(): void {
    this.pending.clear();
  }

  pendingSpans(key: string): number {
    let n = this.pending.get(key);
    if (n === undefined) {
      n = (this.st.sum.get(key) as { n: number }).n;
      this.pending.set(key, n);
    }
    return n;
  }

  /** When the lane's oldest waiting row was added (ms since the epoch), if any. */
  oldestMs(key: string): number | undefined {
    return (this.st.oldest.get(key) as { at: number | null }).at ?? undefined;
  }

  /** Every lane with waiting spans, and how many. */
  lanes(): Map<string, number> {
    const rows = this.st.lanes.all() as { destination: string; n: number }[];
    return new Map(rows.map((r) => [r.destination, r.n]));
  }

  /** Empties a lane (a destination no longer configured); returns the spans it held. */
  clear(key: string): number {
    const n = this.pendingSpans(key);
    this.st.clear.run(key);
    this.pending.set(key, 0);
    return n;
  }
}

import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type Database from 'better-sqlite3';
import { BloomFilter } from './bloom.js';
import type { KeyKind } from './keys.js';

/**
 * The on-disk part of the key index: immutable sorted runs in one WITHOUT ROWID table keyed by
 * (run, kind, key, row). A run is written once, in key order, at the right edge of the B-tree —
 * sequential pages, unlike inserting random keys into one ever-growing index, which dirties a
 * page per key. A lookup seeks once per run. Runs are dropped whole when retention has deleted
 * every span they point to.
 *
 * State of a run: 0 being written (invisible; removed at start-up if a crash interrupted it),
 * 1 live, 2 being dropped (invisible).
 */
export interface RunInfo {
  run: number;
  firstRow: number;
  lastRow: number;
  bloom: BloomFilter;
}

const CHUNK = 16_384;
/** Entries per INSERT statement: one statement per entry would cost more than the entry itself. */
const PER_INSERT = 128;

export class LookupRuns {
  live: RunInfo[] = [];
  private readonly st;

  constructor(private readonly db: Database.Database) {
    const p = (sql: string): Database.Statement => db.prepare(sql);
    this.st = {
      liveRuns: p('SELECT run, first_row, last_row, bloom FROM lookup_runs WHERE state = 1 ORDER BY run'),
      deadRuns: p('SELECT run FROM lookup_runs WHERE state <> 1').pluck(),
      nextRun: p('SELECT coalesce(max(run), 0) + 1 FROM lookup_runs').pluck(),
      newRun: p('INSERT INTO lookup_runs (run, state, first_row, last_row) VALUES (?, 0, ?, ?)'),
      insert: p('INSERT INTO lookup (run, kind, key, row) VALUES (?, ?, ?, ?)'),
      insertMany: p(
        `INSERT INTO lookup (run, kind, key, row) VALUES ${Array(PER_INSERT).fill('(?, ?, ?, ?)').join(', ')}`,
      ),
      publish: p('UPDATE lookup_runs SET state = 1, bloom = ? WHERE run = ?'),
      retire: p('UPDATE lookup_runs SET state = 2 WHERE run = ?'),
      deleteSome: p(`DELETE FROM lookup WHERE (run, kind, key, row) IN
        (SELECT run, kind, key, row FROM lookup WHERE run = ? LIMIT ${CHUNK})`),
      forget: p('DELETE FROM lookup_runs WHERE run = ?'),
      probeAll: p(
        'SELECT row FROM lookup WHERE run IN (SELECT run FROM lookup_runs WHERE state = 1) AND kind = ? AND key = ?',
      ).pluck(),
      probeRun: p('SELECT row FROM lookup WHERE run = ? AND kind = ? AND key = ?').pluck(),
      deleteEntry: p(
        'DELETE FROM lookup WHERE run IN (SELECT run FROM lookup_runs) AND kind = ? AND key = ? AND row = ?',
      ),
    };
  }

  /** At start-up: finishes removing runs a crash left half written or half dropped; loads the live ones. */
  recover(): void {
    for (const run of this.st.deadRuns.all() as number[]) {
      this.db.transaction(() => {
        while (this.st.deleteSome.run(run).changes > 0);
        this.st.forget.run(run);
      })();
    }
    const rows = this.st.liveRuns.all() as { run: number; first_row: number; last_row: number; bloom: Uint8Array }[];
    this.live = rows.map((r) => ({
      run: r.run,
      firstRow: r.first_row,
      lastRow: r.last_row,
      bloom: new BloomFilter(r.bloom),
    }));
  }

  /** Every span row up to this one has its keys in a live run. */
  flushedUpTo(): number {
    return this.live.reduce((max, r) => Math.max(max, r.lastRow), 0);
  }

  probe(kind: KeyKind, key: number): number[] {
    return this.live.length === 0 ? [] : (this.st.probeAll.all(kind, key) as number[]);
  }

  probeRun(run: number, kind: KeyKind, key: number): number[] {
    return this.st.probeRun.all(run, kind, key) as number[];
  }

  /**
   * Writes entries — flat (kind, key, row) triples in that order — as a new run, CHUNK entries per transaction; with
   * `yieldBetween` the event loop runs between transactions. The run becomes visible (live) only
   * in the last transaction.
   */
  async writeRun(
    triples: readonly number[],
    rows: { first: number; last: number },
    traceKeys: { keys: Iterable<number>; count: number },
    yieldBetween: boolean,
    /** Rows erased while the run is being written: left out. */
    erased: ReadonlySet<number> = new Set(),
  ): Promise<void> {
    const run = this.st.nextRun.get() as number;
    this.st.newRun.run(run, rows.first, rows.last);
    let at = 0;
    let done = false;
    const params: number[] = [];
    const chunk = this.db.transaction(() => {
      const end = Math.min(triples.length, at + CHUNK * 3);
      for (; at < end; at += 3) {
        if (erased.size > 0 && erased.has(triples[at + 2] as number)) continue;
        params.push(run, triples[at] as number, triples[at + 1] as number, triples[at + 2] as number);
        if (params.length === PER_INSERT * 4) {
          this.st.insertMany.run(params);
          params.length = 0;
        }
      }
      for (let i = 0; i < params.length; i += 4) this.st.insert.run(params.slice(i, i + 4));
      params.length = 0;
      done = at >= triples.length;
    });
    try {
      while (!done) {
        chunk();
        if (yieldBetween && !done) await yieldToEventLoop();
      }
      const bloom = BloomFilter.forKeys(traceKeys.keys, traceKeys.count);
      this.st.publish.run(bloom.bits, run);
      this.live.push({ run, firstRow: rows.first, lastRow: rows.last, bloom });
    } catch (error) {
      this.discard(run);
      throw error;
    }
  }

  /** Removes one entry from whichever run holds it (the span it points at was erased). */
  deleteEntry(kind: KeyKind, key: number, row: number): void {
    this.st.deleteEntry.run(kind, key, row);
  }

  /** Drops the runs whose every row lies below `minLiveRow`; one chunk per transaction. */
  async dropBelow(minLiveRow: number, step: (work: () => number) => Promise<number>): Promise<number> {
    const doomed = this.live.filter((r) => r.lastRow < minLiveRow);
    if (doomed.length === 0) return 0;
    this.live = this.live.filter((r) => r.lastRow >= minLiveRow);
    for (const r of doomed) {
      this.st.retire.run(r.run);
      while ((await step(() => this.st.deleteSome.run(r.run).changes)) > 0);
      this.st.forget.run(r.run);
    }
    return doomed.length;
  }

  private discard(run: number): void {
    try {
      this.db.transaction(() => {
        while (this.st.deleteSome.run(run).changes > 0);
        this.st.forget.run(run);
      })();
    } catch {
      // Left in state 0: invisible, and removed by recover() at the next start.
    }
  }
}

import type Database from 'better-sqlite3';

/**
 * The idempotency records of erasures (subject_erasures): a span row an erasure request changed.
 * Written in the transaction that changes the span and the summaries, so after a crash the retry
 * skips what was done and never takes a contribution out of a summary twice.
 */
export class ErasureRecords {
  readonly #has: Database.Statement;
  readonly #add: Database.Statement;

  constructor(db: Database.Database) {
    this.#has = db.prepare('SELECT 1 FROM subject_erasures WHERE request_id = ? AND span_row = ?').pluck();
    this.#add = db.prepare('INSERT OR IGNORE INTO subject_erasures (request_id, span_row) VALUES (?, ?)');
  }

  done(requestId: string, row: number): boolean {
    return this.#has.get(requestId, row) !== undefined;
  }

  record(requestId: string, row: number): void {
    this.#add.run(requestId, row);
  }
}

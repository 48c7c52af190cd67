import type Database from 'better-sqlite3';

/**
 * Restriction of processing (GDPR Art. 18) and objection (Art. 21), per subject pseudonym, kept in
 * subject_restrictions and mirrored in memory so the ingest listeners and the read APIs ask `has`
 * without touching the database. The collector is the only writer, so the mirror stays current.
 *
 * - restricted: the data is kept, but the read APIs show it only to the privacy scope, drift and
 *   relationship ingest skip it, forwarding holds it, and dataset exports leave it out;
 * - objecting: the sidecars stop capturing the subject (they pull `objections()`), drift and
 *   relationship ingest skip what was captured before, and dataset exports leave it out.
 */
export type RestrictionKind = 'restriction' | 'objection';

export interface RestrictionEntry {
  pseudonym: string;
  kind: RestrictionKind;
  sinceMs: number;
}

/** What the dataset export (and anything else that must leave these subjects out) reads. */
interface ExcludedSubjects {
  /** Pseudonyms restricted or objecting: their data must not be processed further. */
  excludedSubjects(): ReadonlySet<string>;
}

export class Restrictions implements ExcludedSubjects {
  private readonly restricted = new Set<string>();
  private readonly objecting = new Set<string>();
  private excluded: Set<string> | undefined;
  private readonly st;

  constructor(
    db: Database.Database,
    private readonly now: () => number = Date.now,
  ) {
    this.st = {
      insert: db.prepare('INSERT OR IGNORE INTO subject_restrictions (pseudonym, kind, since_ms) VALUES (?, ?, ?)'),
      remove: db.prepare('DELETE FROM subject_restrictions WHERE pseudonym = ? AND kind = ?'),
      all: db.prepare(
        'SELECT pseudonym, kind, since_ms AS sinceMs FROM subject_restrictions ORDER BY since_ms, pseudonym',
      ),
    };
    for (const e of this.list()) this.setOf(e.kind).add(e.pseudonym);
  }

  /** Adds the kind for each pseudonym; returns how many were not already there. */
  add(kind: RestrictionKind, pseudonyms: readonly string[]): number {
    const at = this.now();
    let added = 0;
    for (const p of new Set(pseudonyms)) {
      added += this.st.insert.run(p, kind, at).changes;
      this.setOf(kind).add(p);
    }
    this.excluded = undefined;
    return added;
  }

  /** Lifts the kind for each pseudonym; returns how many stood. */
  lift(kind: RestrictionKind, pseudonyms: readonly string[]): number {
    let lifted = 0;
    for (const p of new Set(pseudonyms)) {
      lifted += this.st.remove.run(p, kind).changes;
      this.setOf(kind).delete(p);
    }
    this.excluded = undefined;
    return lifted;
  }

  /** Whether the pseudonym stands under the kind. */
  has(kind: RestrictionKind, pseudonym: string): boolean {
    return this.setOf(kind).has(pseudonym);
  }

  /** Every standing restriction and objection, oldest first. */
  list(): RestrictionEntry[] {
    return this.st.all.all() as RestrictionEntry[];
  }

  /** The restricted pseudonyms (a live view: do not keep it across calls that change it). */
  restrictedSubjects(): ReadonlySet<string> {
    return this.restricted;
  }

  /** The objecting pseudonyms, which the sidecars pull as their deny-list. */
  objections(): ReadonlySet<string> {
    return this.objecting;
  }

  excludedSubjects(): ReadonlySet<string> {
    this.excluded ??= new Set([...this.restricted, ...this.objecting]);
    return this.excluded;
  }

  private setOf(kind: RestrictionKind): Set<string> {
    return kind === 'restriction' ? this.restricted : this.objecting;
  }
}

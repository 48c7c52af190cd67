import type Database from 'better-sqlite3';
import type { Restrictions } from './restrictions.js';

export interface RestrictionRecordCounts {
  restrictionsLifted: number;
  heldSpans: number;
  corrections: number;
}

/**
 * What the restriction tables keep of an erased subject goes with the rest: the restriction is
 * lifted (nothing of theirs is left to restrict), the spans forwarding held back and the history of
 * corrections are deleted, since each names the pseudonym. An objection stays: it is what keeps the
 * sidecars from capturing the person again, until it is lifted.
 */
export function eraseRestrictionRecords(
  db: Database.Database,
  restrictions: Restrictions,
  pseudonyms: readonly string[],
): RestrictionRecordCounts {
  const held = db.prepare('DELETE FROM subject_held_spans WHERE pseudonym = ?');
  const corrections = db.prepare('DELETE FROM subject_rectifications WHERE pseudonym = ?');
  return db.transaction(() => {
    const counts = { restrictionsLifted: restrictions.lift('restriction', pseudonyms), heldSpans: 0, corrections: 0 };
    for (const p of new Set(pseudonyms)) {
      counts.heldSpans += held.run(p).changes;
      counts.corrections += corrections.run(p).changes;
    }
    return counts;
  })();
}

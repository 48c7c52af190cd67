import type Database from 'better-sqlite3';

/**
 * Erasure of a data subject from the feedback tables (GDPR Art. 17): joined ground truth whose
 * `subject` is one of their pseudonyms, and — for the requests that were theirs — joined and pending
 * feedback by (request id, row). A batch request shared with other people loses only the subject's
 * rows. Runs inside the caller's transaction.
 */
export interface SubjectRequestRows {
  requestId: string;
  /** 'all': the request was the subject's alone; else the subject's batch rows. */
  rows: 'all' | readonly number[];
}

export interface FeedbackErasure {
  erase(pseudonyms: readonly string[], requests: readonly SubjectRequestRows[]): { joined: number; pending: number };
}

export function createFeedbackErasure(db: Database.Database): FeedbackErasure {
  const st = {
    bySubject: db.prepare('DELETE FROM feedback WHERE subject = ?'),
    joinedOfRequest: db.prepare('DELETE FROM feedback WHERE request_id = ?'),
    joinedRow: db.prepare('DELETE FROM feedback WHERE request_id = ? AND row = ?'),
    pendingOfRequest: db.prepare('DELETE FROM feedback_pending WHERE request_id = ?'),
    pendingRow: db.prepare('DELETE FROM feedback_pending WHERE request_id = ? AND row = ?'),
  };
  return {
    erase(pseudonyms, requests) {
      let joined = 0;
      let pending = 0;
      for (const p of pseudonyms) joined += st.bySubject.run(p).changes;
      for (const r of requests) {
        if (r.rows === 'all') {
          joined += st.joinedOfRequest.run(r.requestId).changes;
          pending += st.pendingOfRequest.run(r.requestId).changes;
          continue;
        }
        for (const row of r.rows) {
          joined += st.joinedRow.run(r.requestId, row).changes;
          pending += st.pendingRow.run(r.requestId, row).changes;
        }
      }
      return { joined, pending };
    },
  };
}

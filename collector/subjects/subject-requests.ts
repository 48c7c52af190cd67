import { createHash, randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';

/**
 * The audit log and job table of subject-rights requests (subject_requests, subject-schema.ts).
 * `start` records who asked what, and keeps the subject's pseudonyms only while the request runs;
 * `finish` records the counts and the result and forgets the pseudonyms (a SHA-256 of them stays,
 * so an auditor holding a pseudonym can find its requests). Nothing here holds a raw id or a
 * captured value; callers put only counts, ids of their own and destinations in counts and result.
 */
export type RequestStatus = 'running' | 'done' | 'failed';

export interface SubjectRequest {
  id: string;
  action: string;
  params: Record<string, unknown>;
  subjectHash: string;
  token: string;
  createdMs: number;
  finishedMs: number | undefined;
  status: RequestStatus;
  counts: Record<string, unknown> | undefined;
  result: Record<string, unknown> | undefined;
}

/** A request still running, with the pseudonyms it needs to finish (after a crash). */
export interface RunningRequest extends SubjectRequest {
  pseudonyms: string[];
}

interface Row {
  id: string;
  action: string;
  params: string;
  subject_hash: string;
  pending: string | null;
  token: string;
  created_ms: number;
  finished_ms: number | null;
  status: RequestStatus;
  counts: string | null;
  result: string | null;
}

export function subjectHash(pseudonyms: readonly string[]): string {
  return createHash('sha256')
    .update([...pseudonyms].sort().join('\n'))
    .digest('hex');
}

export class SubjectRequests {
  readonly #insert: Database.Statement;
  readonly #finish: Database.Statement;
  readonly #get: Database.Statement;
  readonly #list: Database.Statement;
  readonly #running: Database.Statement;

  constructor(
    db: Database.Database,
    private readonly clock: () => number = Date.now,
  ) {
    this.#insert = db.prepare(`INSERT INTO subject_requests
      (id, action, params, subject_hash, pending, token, created_ms, status) VALUES (?, ?, ?, ?, ?, ?, ?, 'running')`);
    this.#finish = db.prepare(`UPDATE subject_requests SET status = ?, finished_ms = ?, counts = ?, result = ?,
      pending = NULL WHERE id = ? AND status = 'running'`);
    this.#get = db.prepare('SELECT * FROM subject_requests WHERE id = ?');
    this.#list = db.prepare('SELECT * FROM subject_requests ORDER BY created_ms DESC, id DESC LIMIT ?');
    this.#running = db.prepare("SELECT * FROM subject_requests WHERE status = 'running' ORDER BY created_ms");
  }

  /** Records a new request; returns its id. */
  start(action: string, pseudonyms: readonly string[], token: string, params: Record<string, unknown> = {}): string {
    const id = `sr_${randomBytes(12).toString('hex')}`;
    this.#insert.run(
      id,
      action,
      JSON.stringify(params),
      subjectHash(pseudonyms),
      JSON.stringify(pseudonyms),
      token,
      this.clock(),
    );
    return id;
  }

  /** Records the outcome (once: a finished request is never changed again). */
  finish(
    id: string,
    counts: Record<string, unknown>,
    result: Record<string, unknown>,
    status: Exclude<RequestStatus, 'running'> = 'done',
  ): void {
    this.#finish.run(status, this.clock(), JSON.stringify(counts), JSON.stringify(result), id);
  }

  get(id: string): SubjectRequest | undefined {
    const row = this.#get.get(id) as Row | undefined;
    return row === undefined ? undefined : toRequest(row);
  }

  /** The most recent requests first. */
  list(limit = 100): SubjectRequest[] {
    return (this.#list.all(limit) as Row[]).map(toRequest);
  }

  /** Requests a crash interrupted, oldest first, with their pseudonyms. */
  running(): RunningRequest[] {
    return (this.#running.all() as Row[]).map((r) => ({
      ...toRequest(r),
      pseudonyms: JSON.parse(r.pending ?? '[]') as string[],
    }));
  }
}

function toRequest(r: Row): SubjectRequest {
  return {
    id: r.id,
    action: r.action,
    params: JSON.parse(r.params) as Record<string, unknown>,
    subjectHash: r.subject_hash,
    token: r.token,
    createdMs: r.created_ms,
    finishedMs: r.finished_ms ?? undefined,
    status: r.status,
    counts: r.counts === null ? undefined : (JSON.parse(r.counts) as Record<string, unknown>),
    result: r.result === null ? undefined : (JSON.parse(r.result) as Record<string, unknown>),
  };
}

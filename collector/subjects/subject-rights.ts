import type { SpanRecord } from '../../shared/span-record.js';
import type { Pseudonymiser } from '../../shared/pseudonyms/hmac.js';
import type { RemovalResult } from '../drift/summary-erasure.js';
import type { Destination } from '../forwarding/destination.js';
import type { SqliteStore } from '../storage/sqlite/sqlite-store.js';
import type { SubjectControls } from './subject-controls.js';
import { resolveSubject, type SubjectRef } from './subject-ref.js';
import { SubjectRequests, type RunningRequest } from './subject-requests.js';

/**
 * The subject-rights capability once the database is open: the keyring (subject-ref.ts), the
 * audit log and job table (subject-requests.ts), and the parts of the collector each action works
 * on. Each action (erase, export, restrict…) is a handler of its own under actions/, given this
 * object. Jobs run one at a time (`enqueue`), and those a crash interrupted are run again at start
 * (`resume`, with the runners of resumable-actions.ts).
 */
export interface SubjectRightsDeps {
  sqlite: SqliteStore;
  keyring: Pseudonymiser | undefined;
  /** What erasure updates beyond the span database's own tables. */
  derived?: DerivedStores;
  /** URL told about each finished erasure. */
  erasureWebhook?: string;
  clock?: () => number;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** Restriction, objection, rectification and access (subject-controls.ts). */
  controls?: SubjectControls;
}

/** The in-memory parts of the collector built on the span stream. */
export interface DerivedStores {
  drift: { forget(spans: readonly SpanRecord[]): RemovalResult };
  relationships: { forget(spans: readonly SpanRecord[]): RemovalResult };
  latency?: { dropExemplars(traceIds: ReadonlySet<string>): number };
  forwarding?: { destinations(): readonly Destination[]; outboxChanged(): void };
}

export type JobRunner = (rights: SubjectRights, request: RunningRequest) => Promise<void>;

export class SubjectRights {
  readonly requests: SubjectRequests;
  readonly sqlite: SqliteStore;
  readonly keyring: Pseudonymiser | undefined;
  readonly derived: DerivedStores;
  readonly erasureWebhook: string | undefined;
  readonly clock: () => number;
  readonly log: (level: 'info' | 'warn' | 'error', message: string) => void;
  readonly controls: SubjectControls | undefined;
  #queue: Promise<void> = Promise.resolve();

  constructor(deps: SubjectRightsDeps) {
    this.sqlite = deps.sqlite;
    this.keyring = deps.keyring;
    this.derived = deps.derived ?? {
      drift: { forget: () => ({ removed: 0, notFound: 0 }) },
      relationships: { forget: () => ({ removed: 0, notFound: 0 }) },
    };
    this.erasureWebhook = deps.erasureWebhook;
    this.clock = deps.clock ?? Date.now;
    this.log = deps.log ?? (() => {});
    this.controls = deps.controls;
    this.requests = new SubjectRequests(deps.sqlite.db, this.clock);
  }

  /** The subject a request names (pseudonym or raw id) as their pseudonyms; throws an AppError. */
  resolve(text: string): SubjectRef {
    return resolveSubject(text, this.keyring);
  }

  /** Runs a job after the ones before it (jobs that change data never interleave); resolves when it is done. */
  enqueue(job: () => Promise<void>): Promise<void> {
    const run = this.#queue.then(job, job);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Runs again, in order, every request a crash left running (each runner skips what was done). */
  resume(runners: Readonly<Record<string, JobRunner>>): Promise<void> {
    const jobs = this.requests.running().map((r) => {
      const runner = runners[r.action];
      if (runner === undefined) return Promise.resolve();
      this.log('info', `subject rights: finishing ${r.action} request ${r.id}, interrupted before it completed`);
      return this.enqueue(() => runner(this, r));
    });
    return Promise.all(jobs).then(() => undefined);
  }
}

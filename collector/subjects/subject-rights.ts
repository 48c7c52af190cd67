import type { Pseudonymiser } from '../../shared/pseudonyms/hmac.js';
import type { SqliteStore } from '../storage/sqlite/sqlite-store.js';
import type { SubjectControls } from './subject-controls.js';
import { resolveSubject, type SubjectRef } from './subject-ref.js';
import { SubjectRequests } from './subject-requests.js';

/**
 * The subject-rights capability once the database is open: the keyring (subject-ref.ts), the
 * audit log and job table (subject-requests.ts), and the stores each action works on. Each action
 * (erase, export, restrict…) is a handler of its own under actions/, given this object.
 */
export interface SubjectRightsDeps {
  sqlite: SqliteStore;
  keyring: Pseudonymiser | undefined;
  clock?: () => number;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** Restriction, objection, rectification and access (subject-controls.ts). */
  controls?: SubjectControls;
}

export class SubjectRights {
  readonly requests: SubjectRequests;
  readonly sqlite: SqliteStore;
  readonly keyring: Pseudonymiser | undefined;
  readonly clock: () => number;
  readonly log: (level: 'info' | 'warn' | 'error', message: string) => void;
  readonly controls: SubjectControls | undefined;

  constructor(deps: SubjectRightsDeps) {
    this.sqlite = deps.sqlite;
    this.keyring = deps.keyring;
    this.clock = deps.clock ?? Date.now;
    this.log = deps.log ?? (() => {});
    this.controls = deps.controls;
    this.requests = new SubjectRequests(deps.sqlite.db, this.clock);
  }

  /** The subject a request names (pseudonym or raw id) as their pseudonyms; throws an AppError. */
  resolve(text: string): SubjectRef {
    return resolveSubject(text, this.keyring);
  }
}

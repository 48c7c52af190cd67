import { runErasure } from './erasure/erasure-job.js';
import type { JobRunner } from './subject-rights.js';

/** The actions whose requests a crash can interrupt, and how each is run again at start. */
export const RESUMABLE_ACTIONS: Readonly<Record<string, JobRunner>> = {
  erase: runErasure,
};

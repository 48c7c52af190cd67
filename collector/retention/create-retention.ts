import type Database from 'better-sqlite3';
import { alertRecordSets } from '../alerts/alert-retention.js';
import type { DriftSettings } from '../drift/drift-settings.js';
import { referenceRecordSet } from '../drift/references/reference-retention.js';
import { bucketedSummarySet } from '../drift/summary-retention.js';
import { feedbackRecordSets } from '../feedback/feedback-retention.js';
import type { PendingOptions } from '../feedback/feedback-service.js';
import { spanRecordSet } from '../storage/sqlite/span-record-set.js';
import type { RecordSet } from './retention-area.js';
import { RetentionPolicy } from './retention-policy.js';
import type { RetentionSettings } from './retention-settings.js';

/**
 * The policy, assembled: every table of captured data or its derivatives with its limit, in one
 * list — the limits kept with their own areas (spans, drift, pending feedback) beside the ones of
 * retention-settings.ts. A table missing here is a table nothing deletes.
 */
export interface RetentionLimits {
  spans: { maxAgeMs: number; maxBytes: number | undefined };
  drift: Pick<DriftSettings, 'retentionMs' | 'bucketWidthMs'>;
  pending: Pick<PendingOptions, 'pendingTtlMs'>;
  retention: RetentionSettings;
}

export interface RetentionDeps {
  db: Database.Database;
  outbox: RecordSet;
  limits: RetentionLimits;
  now?: () => number;
  onError?: (error: unknown) => void;
}

export function createRetentionPolicy(deps: RetentionDeps): RetentionPolicy {
  const { db, limits } = deps;
  const r = limits.retention;
  const feedback = feedbackRecordSets(db);
  const alerts = alertRecordSets(db);
  const age = (maxAgeMs: number, maxBytes?: number): { maxAgeMs: number; maxBytes?: number } =>
    maxBytes ? { maxAgeMs, maxBytes } : { maxAgeMs };
  const width = limits.drift.bucketWidthMs;
  return new RetentionPolicy(
    db,
    [
      { set: spanRecordSet(db), limit: age(limits.spans.maxAgeMs, limits.spans.maxBytes) },
      { set: deps.outbox, limit: age(r.outboxMaxAgeMs, r.outboxMaxBytes) },
      { set: feedback.joined, limit: age(r.feedbackMaxAgeMs) },
      { set: feedback.pending, limit: age(limits.pending.pendingTtlMs) },
      { set: alerts.resolved, limit: age(r.alertsResolvedMaxAgeMs) },
      { set: alerts.firing, limit: age(r.alertsFiringMaxAgeMs) },
      { set: alerts.notifications, limit: age(r.alertsResolvedMaxAgeMs) },
      { set: bucketedSummarySet(db, 'drift_summaries', width), limit: age(limits.drift.retentionMs) },
      { set: bucketedSummarySet(db, 'relationship_summaries', width), limit: age(limits.drift.retentionMs) },
      { set: referenceRecordSet(db), limit: age(r.referencesMaxAgeMs) },
    ],
    {
      intervalMs: r.intervalMs,
      ...(deps.now ? { now: deps.now } : {}),
      ...(deps.onError ? { onError: deps.onError } : {}),
    },
  );
}

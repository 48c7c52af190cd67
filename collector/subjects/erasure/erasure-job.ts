import { createAlertErasure } from '../../alerts/alert-erasure.js';
import { windowReferencesCovering } from '../../drift/references/reference-erasure.js';
import { createFeedbackErasure } from '../../feedback/feedback-erasure.js';
import { createOutboxErasure } from '../../forwarding/outbox-erasure.js';
import type { RunningRequest } from '../subject-requests.js';
import type { SubjectRights } from '../subject-rights.js';
import { eraseSubject, type ErasureStores } from './erase-subject.js';
import { ErasureRecords } from './erasure-records.js';
import { eraseRestrictionRecords } from '../restriction-erasure.js';
import { erasureReceipt } from './erasure-receipt.js';
import { sendErasureNotice } from './erasure-webhook.js';
import { ERASE_MODES, type EraseMode } from './span-erasure.js';

/**
 * An erasure request as a job: erase (erase-subject.ts), checkpoint the WAL with TRUNCATE, write the
 * receipt, tell the webhook, and record the outcome in the audit log. Run for a new request and,
 * after a crash, again for one left running (the idempotency records make the second run finish
 * the first's work without repeating it).
 */
export async function runErasure(rights: SubjectRights, request: RunningRequest): Promise<void> {
  const mode: EraseMode = ERASE_MODES.find((m) => m === request.params['mode']) ?? 'delete';
  try {
    const outcome = await eraseSubject(storesOf(rights), request.id, request.pseudonyms, mode);
    rights.derived.forwarding?.outboxChanged();
    const controls = rights.controls;
    const restrictionRecords = controls
      ? eraseRestrictionRecords(rights.sqlite.db, controls.restrictions, request.pseudonyms)
      : undefined;
    const receipt = erasureReceipt(mode, outcome, rights.derived.forwarding?.destinations() ?? [], (row) =>
      rights.sqlite.rows.storedAtMs(row),
    );
    if (rights.erasureWebhook !== undefined) {
      receipt.webhook = await sendErasureNotice(rights.erasureWebhook, {
        event: 'subject.erased',
        requestId: request.id,
        mode,
        finishedAt: new Date(rights.clock()).toISOString(),
        pseudonyms: request.pseudonyms,
        traceIds: outcome.traceIds,
        counts: outcome.counts,
        destinations: receipt.destinations,
      });
    }
    rights.requests.finish(
      request.id,
      { ...outcome.counts, ...(restrictionRecords ? { restrictionRecords } : {}) },
      { ...receipt },
    );
    // One TRUNCATE checkpoint, after finishing cleared the pseudonyms the job kept for a restart:
    // the WAL then holds no page of the erased data. A reader holding an old snapshot makes it busy.
    if (rights.sqlite.rows.checkpointTruncate().busy)
      rights.log(
        'warn',
        `subject rights: erasure ${request.id}: the WAL checkpoint was busy; it is truncated at the next one`,
      );
  } catch (error) {
    // The error's class only: a message may quote what was stored.
    const reason = (error as { code?: string }).code ?? (error as Error).name ?? 'Error';
    rights.log('error', `subject rights: erasure ${request.id} failed (${reason})`);
    rights.requests.finish(request.id, {}, { error: reason }, 'failed');
  }
}

function storesOf(rights: SubjectRights): ErasureStores {
  const db = rights.sqlite.db;
  return {
    rows: rights.sqlite.rows,
    records: new ErasureRecords(db),
    feedback: createFeedbackErasure(db),
    scrubAlerts: createAlertErasure(db),
    purgeOutbox: createOutboxErasure(db),
    drift: rights.derived.drift,
    relationships: rights.derived.relationships,
    ...(rights.derived.latency === undefined ? {} : { latency: rights.derived.latency }),
    windowReferences: (spans) => windowReferencesCovering(db, spans),
  };
}

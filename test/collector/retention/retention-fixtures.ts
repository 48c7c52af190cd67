import type Database from 'better-sqlite3';
import { createSqliteAlertStore } from '../../../collector/alerts/sqlite-alert-store.js';
import { createSqliteDriftStores } from '../../../collector/drift/sqlite-drift-store.js';
import type { StoredReference } from '../../../collector/drift/drift-store.js';
import { NumericSummary } from '../../../collector/drift/summaries/numeric-summary.js';
import { createSqliteFeedbackStore } from '../../../collector/feedback/sqlite-feedback-store.js';
import { Outbox } from '../../../collector/forwarding/outbox.js';
import { makeAlert } from '../alerts/alert-fixtures.js';
import { label, record } from '../feedback/feedback-fixtures.js';

/**
 * One old and one recent record in every table the retention policy prunes, written through each
 * area's own store where it has one. `old` is before every limit of the tests, `recent` after.
 */
export const DAY = 86_400_000;
/** This hour: the real collector's clock is the wall clock. */
export const NOW = Math.floor(Date.now() / 3_600_000) * 3_600_000;
export const OLD = NOW - 40 * DAY;
export const RECENT = NOW - DAY / 2;
const HOUR = 3_600_000;

function reference(version: string, createdMs: number, keep?: boolean): StoredReference {
  return {
    kind: 'training',
    model: 'fraud',
    version,
    createdMs,
    source: 'csv',
    rows: 2,
    features: [{ name: 'input.age', summary: NumericSummary.fromValues([30, 40]), raw: [30, 40], hasRaw: true }],
    ...(keep === undefined ? {} : { keep }),
  };
}

/** An outbox whose rows are stamped with a time the test sets. */
export function clockedOutbox(db: Database.Database, maxSpans = 100_000): { outbox: Outbox; at(ms: number): void } {
  let now = NOW;
  return {
    outbox: new Outbox(db, maxSpans, () => now),
    at: (ms) => {
      now = ms;
    },
  };
}

export function seedEveryTable(db: Database.Database, clocked: ReturnType<typeof clockedOutbox>): void {
  const feedback = createSqliteFeedbackStore(db);
  feedback.upsert([
    record({ requestId: 'old', predictionMs: OLD, receivedMs: OLD }),
    record({ requestId: 'recent', predictionMs: RECENT, receivedMs: RECENT }),
  ]);
  const pending = (requestId: string, at: number) => ({
    requestId,
    row: null,
    truth: label('fraud'),
    feedbackMs: at,
    receivedMs: at,
    attempts: 0,
    nextAttemptMs: at,
  });
  feedback.addPending([pending('old-pending', OLD), pending('recent-pending', RECENT)]);

  const alerts = createSqliteAlertStore(db);
  alerts.putAlert(makeAlert({ id: 'r@old-resolved', state: 'resolved', activeAtMs: OLD - HOUR, resolvedAtMs: OLD }));
  alerts.putAlert(makeAlert({ id: 'r@recent-resolved', state: 'resolved', activeAtMs: OLD, resolvedAtMs: RECENT }));
  alerts.putAlert(makeAlert({ id: 'r@old-firing', ruleId: 'stuck', state: 'firing', activeAtMs: OLD }));
  alerts.putAlert(makeAlert({ id: 'r@recent-firing', ruleId: 'fresh', state: 'firing', activeAtMs: RECENT }));
  for (const [id, at] of [
    ['r@old-resolved', OLD],
    ['r@recent-resolved', RECENT],
  ] as const) {
    const alert = makeAlert({ id });
    alerts.enqueue({ alertId: id, receiver: 'ops', event: 'firing', seq: 0, alert, createdMs: at });
    const [queued] = alerts.notificationsOf(id);
    alerts.update(queued!.id, { status: 'delivered', doneMs: at });
  }

  const { summaries, references } = createSqliteDriftStores(db);
  const bucket = (at: number): number => Math.floor(at / HOUR) * HOUR;
  summaries.merge(
    [OLD, RECENT].map((at) => ({
      model: 'fraud',
      version: '1',
      feature: 'input.age',
      bucketMs: bucket(at),
      widthMs: HOUR,
      summary: NumericSummary.fromValues([1, 2]),
    })),
  );
  const pair = db.prepare(
    'INSERT INTO relationship_summaries (model, version, bucket_ms, input, output, width_ms, summary) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  for (const at of [OLD, RECENT]) pair.run('fraud', '1', bucket(at), 'input.age', 'output.score', HOUR, '{}');

  references.put(reference('old', OLD));
  references.put(reference('old-kept', OLD, true));
  references.put(reference('recent', RECENT));

  clocked.at(OLD);
  clocked.outbox.add('otlp http://a', [{ spanCount: 1, fragment: '{"old":1}' }]);
  clocked.at(RECENT);
  clocked.outbox.add('otlp http://a', [{ spanCount: 1, fragment: '{"recent":1}' }]);
}

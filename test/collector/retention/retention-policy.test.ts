import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { AREA_SCHEMA_STEPS } from '../../../collector/area-schema.js';
import { createSqliteAlertStore } from '../../../collector/alerts/sqlite-alert-store.js';
import { createSqliteDriftStores } from '../../../collector/drift/sqlite-drift-store.js';
import { outboxRecordSet } from '../../../collector/forwarding/outbox-retention.js';
import { createRetentionPolicy, type RetentionLimits } from '../../../collector/retention/create-retention.js';
import { DEFAULT_RETENTION_SETTINGS } from '../../../collector/retention/retention-settings.js';
import { openSqliteStore, type SqliteStore } from '../../../collector/storage/sqlite/sqlite-store.js';
import { makeTempDir } from '../storage/temp-dir.js';
import { clockedOutbox, DAY, NOW, OLD, RECENT, seedEveryTable } from './retention-fixtures.js';

// The policy over a real SQLite file: every table of captured data (or of what is derived from it)
// pruned by age, the outbox by size too, a reference marked keep surviving, firing alerts past their limit.
const tmp = makeTempDir('infertrace-retention-');
afterAll(() => tmp.remove());
let store: SqliteStore | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});
let n = 0;

const LIMITS: RetentionLimits = {
  spans: { maxAgeMs: 7 * DAY, maxBytes: undefined },
  drift: { retentionMs: 30 * DAY, bucketWidthMs: 3_600_000 },
  pending: { pendingTtlMs: 7 * DAY },
  retention: {
    ...DEFAULT_RETENTION_SETTINGS,
    outboxMaxAgeMs: 3 * DAY,
    feedbackMaxAgeMs: 30 * DAY,
    alertsResolvedMaxAgeMs: 7 * DAY,
    alertsFiringMaxAgeMs: 30 * DAY,
    referencesMaxAgeMs: 30 * DAY,
  },
};

function open(limits: RetentionLimits = LIMITS) {
  store = openSqliteStore({ path: join(tmp.dir, `r-${++n}.db`), schemaSteps: AREA_SCHEMA_STEPS });
  const clocked = clockedOutbox(store.db);
  const policy = createRetentionPolicy({
    db: store.db,
    outbox: outboxRecordSet(clocked.outbox),
    limits,
    now: () => NOW,
  });
  return { db: store.db, clocked, policy };
}

describe('the retention policy', () => {
  it.each([
    // set, deleted by the pass, rows left
    ['export_outbox', 1, 1],
    ['feedback', 1, 1],
    ['feedback_pending', 1, 1],
    ['alerts.resolved', 1, 1],
    ['alerts.firing', 1, 1],
    ['alert_notifications', 1, 1],
    ['drift_summaries', 1, 1],
    ['relationship_summaries', 1, 1],
    ['drift_references', 1, 2],
  ])('prunes %s by age', async (name, deleted, left) => {
    const { db, clocked, policy } = open();
    seedEveryTable(db, clocked);
    const before = policy.status().sets.find((s) => s.name === name);
    expect(before?.withinLimit).toBe(false);
    expect(Date.parse(before?.oldest ?? '')).toBeLessThanOrEqual(OLD);
    const report = await policy.runPass();
    expect(report.deleted[name]).toBe(deleted);
    const after = policy.status().sets.find((s) => s.name === name);
    expect(after).toMatchObject({ rows: left, withinLimit: true });
    expect(Date.parse(after?.oldest ?? '')).toBeGreaterThan(OLD);
  });

  it('covers every table that holds captured data or its derivatives', async () => {
    const { policy } = open();
    const tables = new Set(policy.status().sets.map((s) => s.table));
    expect([...tables].sort()).toEqual(
      [
        'alert_notifications',
        'alerts',
        'drift_references',
        'drift_summaries',
        'export_outbox',
        'feedback',
        'feedback_pending',
        'relationship_summaries',
        'spans',
      ].sort(),
    );
  });

  it('keeps a reference marked keep, whatever its age, and reports it as kept', async () => {
    const { db, clocked, policy } = open();
    seedEveryTable(db, clocked);
    await policy.runPass();
    const { references } = createSqliteDriftStores(db);
    expect(references.list('fraud').map((r) => [r.version, r.keep === true])).toEqual([
      ['old-kept', true],
      ['recent', false],
    ]);
    // Its features stay with it; the expired reference's are gone.
    expect(
      references.get('fraud', 'old-kept')?.kind === 'training' && references.get('fraud', 'old-kept'),
    ).toMatchObject({
      features: [{ name: 'input.age', hasRaw: true }],
    });
    expect(db.prepare("SELECT count(*) FROM drift_reference_features WHERE version = 'old'").pluck().get()).toBe(0);
    expect(policy.status().sets.find((s) => s.name === 'drift_references')).toMatchObject({ rows: 2, kept: 1 });
    // Marked after upload, then unmarked: the next pass deletes it.
    expect(references.setKeep('fraud', 'old-kept', false)).toBe(true);
    expect((await policy.runPass()).deleted['drift_references']).toBe(1);
  });

  it('deletes an alert still firing past its limit, and keeps one firing since recently', async () => {
    const { db, clocked, policy } = open();
    seedEveryTable(db, clocked);
    await policy.runPass();
    const alerts = createSqliteAlertStore(db);
    expect(alerts.activeAlerts().map((a) => a.id)).toEqual(['r@recent-firing']);
    expect(alerts.listAlerts({ limit: 10, state: 'resolved' }).map((a) => a.id)).toEqual(['r@recent-resolved']);
  });

  it('keeps the outbox under its size limit, oldest rows first, whatever their age', async () => {
    const { clocked, policy } = open({
      ...LIMITS,
      retention: { ...LIMITS.retention, outboxMaxAgeMs: 0, outboxMaxBytes: 10_000 },
    });
    const fragment = (i: number): string => JSON.stringify({ i, pad: 'x'.repeat(990) });
    clocked.at(RECENT);
    for (let i = 0; i < 30; i++) clocked.outbox.add('otlp http://a', [{ spanCount: 2, fragment: fragment(i) }]);
    const bytes = (): number => policy.status().sets.find((s) => s.name === 'export_outbox')?.bytes as number;
    expect(bytes()).toBeGreaterThan(30_000);
    const report = await policy.runPass();
    expect(report.deleted['export_outbox']).toBeGreaterThan(0);
    expect(bytes()).toBeLessThanOrEqual(10_000);
    // The newest rows are the ones left, and the lane's pending count follows.
    const rows = clocked.outbox.take('otlp http://a', 1_000);
    expect(rows.at(-1)?.fragment).toBe(fragment(29));
    expect(JSON.parse(rows[0]!.fragment).i).toBe(30 - rows.length);
    expect(clocked.outbox.pendingSpans('otlp http://a')).toBe(2 * rows.length);
  });

  it('leaves outbox rows being sent to their sender', async () => {
    const { clocked, policy } = open();
    clocked.at(OLD);
    clocked.outbox.add('otlp http://a', [
      { spanCount: 1, fragment: '{"a":1}' },
      { spanCount: 1, fragment: '{"a":2}' },
    ]);
    const inFlight = clocked.outbox.take('otlp http://a', 1);
    expect(inFlight).toHaveLength(1);
    expect((await policy.runPass()).deleted['export_outbox']).toBe(1);
    expect(clocked.outbox.remove('otlp http://a', inFlight)).toBe(1);
  });

  it('deletes nothing with a limit of 0', async () => {
    const zero = Object.fromEntries(Object.keys(LIMITS.retention).map((k) => [k, 0]));
    const { db, clocked, policy } = open({
      spans: { maxAgeMs: 0, maxBytes: undefined },
      drift: { retentionMs: 0, bucketWidthMs: 3_600_000 },
      pending: { pendingTtlMs: 0 },
      retention: { ...LIMITS.retention, ...zero, intervalMs: 60_000 },
    });
    seedEveryTable(db, clocked);
    const report = await policy.runPass();
    expect(Object.values(report.deleted).every((d) => d === 0)).toBe(true);
    expect(policy.status().sets.every((s) => s.withinLimit)).toBe(true);
  });
});

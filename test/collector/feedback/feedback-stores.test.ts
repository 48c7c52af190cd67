import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteFeedbackStore } from '../../../collector/feedback/sqlite-feedback-store.js';
import { openDatabase } from '../../../collector/storage/sqlite/open.js';
import { AREA_SCHEMA_STEPS } from '../../../collector/area-schema.js';
import { withSpanTables } from '../../../collector/storage/sqlite/schema-v1.js';
import { feedbackStoreContract } from './feedback-store-contract.js';
import { record } from './feedback-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'infertrace-feedback-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const steps = withSpanTables(AREA_SCHEMA_STEPS);

feedbackStoreContract('sqlite', () => {
  const db = openDatabase({ path: join(dir, `contract-${n++}.db`) }, steps);
  return { store: createSqliteFeedbackStore(db), close: () => db.close() };
});

describe('SQLite feedback store', () => {
  it('keeps feedback across a restart, after the span tables in the collector database', () => {
    const path = join(dir, 'restart.db');
    const db = openDatabase({ path }, steps);
    createSqliteFeedbackStore(db).upsert([record({ requestId: 'kept' })]);
    db.close();
    const again = openDatabase({ path }, steps);
    try {
      expect(createSqliteFeedbackStore(again).get({ requestId: 'kept', row: 0 })).toEqual(
        record({ requestId: 'kept' }),
      );
    } finally {
      again.close();
    }
  });
});

describe('the collector schema', () => {
  it('has the feedback and alert tables among its steps', () => {
    const db = openDatabase({ path: ':memory:' }, withSpanTables(AREA_SCHEMA_STEPS));
    try {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
      expect(tables).toEqual(
        expect.arrayContaining([
          'spans',
          'feedback',
          'feedback_pending',
          'alert_rules',
          'alerts',
          'alert_notifications',
        ]),
      );
    } finally {
      db.close();
    }
  });
});

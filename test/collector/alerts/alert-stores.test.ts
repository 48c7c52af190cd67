import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { createSqliteAlertStore } from '../../../collector/alerts/sqlite-alert-store.js';
import { openDatabase } from '../../../collector/storage/sqlite/open.js';
import { AREA_SCHEMA_STEPS } from '../../../collector/area-schema.js';
import { withSpanTables } from '../../../collector/storage/sqlite/schema-v1.js';
import { alertStoreContract } from './alert-store-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'infertrace-alert-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

alertStoreContract('sqlite', () => {
  const db = openDatabase({ path: join(dir, `contract-${n++}.db`) }, withSpanTables(AREA_SCHEMA_STEPS));
  return { store: createSqliteAlertStore(db), close: () => db.close() };
});

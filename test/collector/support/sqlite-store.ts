import { AREA_SCHEMA_STEPS } from '../../../collector/area-schema.js';
import type { SqliteStore } from '../../../collector/storage/sqlite/sqlite-store.js';
import { openSqliteStore } from '../../../collector/storage/sqlite/sqlite-store.js';

/** The collector's SQLite store on a file, with every area's tables (tests give each its own temp folder). */
export async function openTestSqliteStore(path: string): Promise<SqliteStore> {
  return openSqliteStore({ path, schemaSteps: AREA_SCHEMA_STEPS });
}

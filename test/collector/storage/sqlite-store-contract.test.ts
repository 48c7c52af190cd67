import { join } from 'node:path';
import { openSqliteStore } from '../../../collector/storage/sqlite/sqlite-store.js';
import { registerSpanStoreContract } from './span-store-contract.js';
import { makeTempDir } from './temp-dir.js';

registerSpanStoreContract('SQLite store, file in a temp folder', () => {
  const tmp = makeTempDir();
  return { store: openSqliteStore({ path: join(tmp.dir, 'spans.db') }), cleanup: tmp.remove };
});

registerSpanStoreContract('SQLite store, :memory:', () => ({ store: openSqliteStore({ path: ':memory:' }) }));

import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCollectorConfig } from '../../../collector/config.js';
import { startCollector } from '../../../collector/main.js';
import { otlpRequest, otlpSpan } from '../support/otlp-factory.js';
import { makeTempDir } from './temp-dir.js';

// The database holds what people sent to models: only the collector's user may read it.
describe('database files', () => {
  const temp = makeTempDir();
  afterAll(() => temp.remove());

  it('are created 0600 in a folder created 0700', async () => {
    const folder = join(temp.dir, 'new', 'data');
    const db = join(folder, 'spans.db');
    const collector = await startCollector(readCollectorConfig({ port: '0', db, 'log-level': 'silent' }, {}));
    try {
      await collector.opening.opened();
      const res = await fetch(`${collector.url}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(otlpRequest([otlpSpan()])),
      });
      expect(res.status).toBe(200);
      for (const dir of [folder, join(temp.dir, 'new')]) expect(statSync(dir).mode & 0o777, dir).toBe(0o700);
      for (const file of [db, `${db}-wal`, `${db}-shm`]) {
        if (file === db) expect(existsSync(file)).toBe(true);
        if (existsSync(file)) expect(statSync(file).mode & 0o777, file).toBe(0o600);
      }
    } finally {
      await collector.close();
    }
  });
});

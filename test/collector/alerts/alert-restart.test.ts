import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AlertEngine } from '../../../collector/alerts/alert-engine.js';
import { createSqliteAlertStore } from '../../../collector/alerts/sqlite-alert-store.js';
import { openDatabase } from '../../../collector/storage/sqlite/open.js';
import { AREA_SCHEMA_STEPS } from '../../../collector/area-schema.js';
import { withSpanTables } from '../../../collector/storage/sqlite/schema-v1.js';
import { startWebhookReceiver } from './webhook-receiver.js';

const dir = mkdtempSync(join(tmpdir(), 'infertrace-alert-restart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const steps = withSpanTables(AREA_SCHEMA_STEPS);

describe('alerts survive a restart', () => {
  it('keeps rules, the firing alert and what was notified, so nothing is sent twice', async () => {
    const hook = await startWebhookReceiver();
    const path = join(dir, 'collector.db');
    let now = Date.UTC(2025, 5, 1);
    let value = 0.9;
    const engineOn = (db: ReturnType<typeof openDatabase>) =>
      new AlertEngine({
        store: createSqliteAlertStore(db),
        receivers: [
          { name: 'ops', url: hook.url, format: 'generic', repeatIntervalMs: 3_600_000, headers: {}, timeoutMs: 5000 },
        ],
        sources: { error_rate: async () => ({ value }) },
        clock: () => now,
      });
    try {
      const db1 = openDatabase({ path }, steps);
      const first = engineOn(db1);
      first.addRule({ id: 'errors', metric: 'error_rate', comparison: '>', threshold: 0.5, window: '5m' });
      await first.tick();
      const firedId = first.alerts({ limit: 1 })[0]!.id;
      db1.close();

      now += 60_000;
      const db2 = openDatabase({ path }, steps);
      const second = engineOn(db2);
      expect(second.rules().map((r) => r.rule.id)).toEqual(['errors']);
      await second.tick();
      expect(second.alerts({ limit: 10 }).map((a) => [a.id, a.state])).toEqual([[firedId, 'firing']]);
      expect(hook.requests.map((r) => (r.body as { event: string }).event)).toEqual(['firing']);

      value = 0.1;
      now += 60_000;
      await second.tick();
      expect(hook.requests.map((r) => (r.body as { event: string }).event)).toEqual(['firing', 'resolved']);
      db2.close();
    } finally {
      await hook.close();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { AREA_SCHEMA_STEPS } from '../../../collector/area-schema.js';
import { readCollectorConfig } from '../../../collector/config.js';
import { startCollector, type RunningCollector } from '../../../collector/main.js';
import { openSqliteStore } from '../../../collector/storage/sqlite/sqlite-store.js';
import { bearer, ONLY, tokenLines } from '../auth/tokens.js';
import { otlpRequest, otlpSpan } from '../support/otlp-factory.js';
import { makeTempDir } from '../storage/temp-dir.js';
import { clockedOutbox, seedEveryTable } from './retention-fixtures.js';

// GET /api/retention on a real collector over HTTP, with tokens, on a real SQLite file seeded with
// an old and a recent record in every table: each set's oldest record against its limit, before
// and after a pass.
interface SetStatus {
  name: string;
  rows: number;
  oldest: string | null;
  limit: { maxAgeMs: number; maxBytes?: number };
  withinLimit: boolean;
  kept?: number;
}

describe('the retention status endpoint', () => {
  const tmp = makeTempDir('infertrace-retention-status-');
  const db = join(tmp.dir, 'collector.db');
  let collector: RunningCollector;

  beforeAll(async () => {
    const seeding = openSqliteStore({ path: db, schemaSteps: AREA_SCHEMA_STEPS });
    seedEveryTable(seeding.db, clockedOutbox(seeding.db));
    await seeding.close();
    const config = readCollectorConfig(
      {
        port: '0',
        host: '127.0.0.1',
        db,
        'retention-interval': '1h',
        'feedback-retention': '30d',
        'reference-retention': '30d',
      },
      { INFERTRACE_TOKENS: tokenLines() },
    );
    collector = await startCollector(config, { logger: false });
    await collector.opening.opened();
  });

  afterAll(async () => {
    await collector?.close();
    tmp.remove();
  });

  const status = async (): Promise<SetStatus[]> => {
    const res = await fetch(`${collector.url}/api/retention`, { headers: bearer(ONLY.read) });
    expect(res.status).toBe(200);
    return ((await res.json()) as { sets: SetStatus[] }).sets;
  };
  const byName = (sets: SetStatus[]) => Object.fromEntries(sets.map((s) => [s.name, s]));

  it('needs a read token to look and an admin token to run a pass', async () => {
    expect((await fetch(`${collector.url}/api/retention`)).status).toBe(401);
    const pass = (token: string) =>
      fetch(`${collector.url}/api/retention/pass`, { method: 'POST', headers: bearer(token) });
    expect((await pass(ONLY.read)).status).toBe(403);
  });

  it('reports per table its rows, its oldest record and its limit, then what a pass leaves', async () => {
    const ingest = await fetch(`${collector.url}/v1/traces`, {
      method: 'POST',
      headers: { ...bearer(ONLY.ingest), 'content-type': 'application/json' },
      body: JSON.stringify(otlpRequest([otlpSpan()])),
    });
    expect(ingest.status).toBe(200);

    const before = byName(await status());
    expect(before['spans']).toMatchObject({ rows: 1, withinLimit: true, limit: { maxAgeMs: 7 * 86_400_000 } });
    expect(Date.now() - Date.parse(before['spans']?.oldest ?? '')).toBeLessThan(86_400_000);
    const seeded = [
      ['feedback', 30],
      ['feedback_pending', 7],
      ['alerts.resolved', 7],
      ['alerts.firing', 30],
      ['alert_notifications', 7],
      ['drift_summaries', 30],
      ['relationship_summaries', 30],
      ['drift_references', 30],
    ] as const;
    for (const [name, days] of seeded) {
      const set = before[name];
      expect(set, name).toMatchObject({ withinLimit: false, limit: { maxAgeMs: days * 86_400_000 } });
      expect(Date.now() - Date.parse(set?.oldest ?? ''), name).toBeGreaterThan(days * 86_400_000);
    }
    // Lanes of destinations no longer configured are emptied at start: nothing waits here.
    expect(before['export_outbox']).toMatchObject({ rows: 0, oldest: null, withinLimit: true });

    const pass = await fetch(`${collector.url}/api/retention/pass`, { method: 'POST', headers: bearer(ONLY.admin) });
    expect(pass.status).toBe(200);
    const report = (await pass.json()) as { deleted: Record<string, number> };
    for (const [name] of seeded) expect(report.deleted[name], name).toBeGreaterThan(0);

    const after = byName(await status());
    for (const [name, days] of seeded) {
      expect(after[name], name).toMatchObject({ withinLimit: true });
      expect(Date.now() - Date.parse(after[name]?.oldest ?? ''), name).toBeLessThan(days * 86_400_000);
    }
    expect(after['drift_references']).toMatchObject({ rows: 2, kept: 1 });
    // /healthz, open to all, says only when the last pass ran and whether it failed.
    const health = (await (await fetch(`${collector.url}/healthz`)).json()) as { retention: unknown };
    expect(health.retention).toEqual({ lastPassAt: expect.any(String), lastPassFailed: false });
    expect(after['spans']).toMatchObject({ rows: 1 });
  });
});

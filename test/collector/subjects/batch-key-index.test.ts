import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore, type SqliteStore } from '../../../collector/storage/sqlite/sqlite-store.js';
import { AREA_SCHEMA_STEPS } from '../../../collector/area-schema.js';
import { subjectSpans } from '../../../collector/subjects/subject-spans.js';
import { spanRecord } from '../support/span-record-factory.js';
import { makeTempDir } from '../../collector/storage/temp-dir.js';

/**
 * A batch whose rows belong to several subjects carries one pseudonym per row: the key index holds
 * each, so every subject finds every one of their spans — in the memtable, in sorted runs, and
 * after a restart that rebuilds the memtable.
 */
const NOW = 1_750_000_000_000_000_000n;
const p = (c: string): string => `hmac:k1:${c.repeat(64)}`;
const [A, B, C] = [p('a'), p('b'), p('c')];

const tmp = makeTempDir();
afterAll(() => tmp.remove());

function open(path: string, runSpans: number): SqliteStore {
  return openSqliteStore({ path, schemaSteps: AREA_SCHEMA_STEPS, keyIndex: { runSpans } });
}

describe('the key index with batch spans of several subjects', () => {
  it.each([
    ['in the memtable', 1_000_000, false],
    ['in sorted runs', 2, false],
    ['after a restart rebuilds the memtable', 1_000_000, true],
  ])("finds each subject's five traces %s", async (_name, runSpans, restart) => {
    const path = join(tmp.dir, `${runSpans}-${String(restart)}.db`);
    let store = open(path, runSpans);
    const traces: Record<string, string[]> = { [A]: [], [B]: [], [C]: [] };
    // Five traces each for A, B and C: two single-subject spans, three batches shared with the others.
    for (let i = 0; i < 5; i++) {
      for (const subject of [A, B, C]) {
        const batch = i >= 2;
        const span = spanRecord(NOW + BigInt(i) * 1_000_000n, {
          attributes: batch
            ? {
                'enduser.pseudo.id': [subject, subject === A ? B : A, C],
                'ml.batch.size': 3,
                'ml.input.x': [1, 2, 3],
              }
            : { 'enduser.pseudo.id': subject, 'ml.input.x': 1 },
        });
        await store.writeSpans([span]);
        if (batch) for (const s of new Set([subject, subject === A ? B : A, C])) traces[s]?.push(span.traceId);
        else traces[subject]?.push(span.traceId);
      }
    }
    if (restart) {
      // A crash loses the memtable: reopen without flushing it (the db handle closes, no runs written).
      store.db.close();
      store = open(path, runSpans);
    }
    for (const s of [A, B, C]) {
      expect((await store.findTraceIdsBySubject(s)).sort()).toEqual([...new Set(traces[s])].sort());
      expect(
        subjectSpans(store.rows, [s])
          .map((x) => x.span.traceId)
          .sort(),
      ).toEqual([...new Set(traces[s])].sort());
    }
    await store.close().catch(() => undefined);
  });

  it('says which rows of a batch are the subject’s', async () => {
    const store = open(join(tmp.dir, 'rows.db'), 1_000_000);
    await store.writeSpans([
      spanRecord(NOW, {
        attributes: { 'enduser.pseudo.id': [A, B, A], 'ml.batch.size': 3, 'ml.input.x': [1, 2, 3] },
      }),
      spanRecord(NOW, { attributes: { 'enduser.pseudo.id': A, 'ml.input.x': 9 } }),
      // An older sidecar listed each subject once: the rows cannot be told apart.
      spanRecord(NOW, { attributes: { 'enduser.pseudo.id': [A, B], 'ml.batch.size': 3, 'ml.input.x': [1, 2, 3] } }),
    ]);
    const found = subjectSpans(store.rows, [A]).map((s) => ({ rows: s.rows, ambiguous: s.ambiguous }));
    expect(found).toEqual([
      { rows: [0, 2], ambiguous: false },
      { rows: 'all', ambiguous: false },
      { rows: 'all', ambiguous: true },
    ]);
    expect(subjectSpans(store.rows, [B]).map((s) => s.rows)).toEqual([[1], 'all']);
    expect(subjectSpans(store.rows, [C])).toEqual([]);
    await store.close();
  });
});

/**
 * Access export benchmark (issue 12): the Art. 15 export of a data subject with 1,000 spans —
 * found through the key index, every kind of record derived, written out as the JSON document —
 * with `--spans` other spans stored beside them (default 200,000: two-span inference traces, one
 * in four with another subject). Baseline in the same run: reading the same 1,000 spans by trace
 * id (getTrace of each of the subject's traces). Runs alternate, export then baseline.
 *
 *   node --import tsx bench/subject-access.ts [--spans 200000] [--subject-spans 1000] [--runs 10]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AREA_SCHEMA_STEPS } from '../collector/area-schema.js';
import { createSqliteAlertStore } from '../collector/alerts/sqlite-alert-store.js';
import { resolveDriftSettings } from '../collector/drift/drift-settings.js';
import { createSqliteDriftStores } from '../collector/drift/sqlite-drift-store.js';
import { createSqliteFeedbackStore } from '../collector/feedback/sqlite-feedback-store.js';
import { openSqliteStore } from '../collector/storage/sqlite/sqlite-store.js';
import { jsonDocument } from '../collector/subjects/export-formats.js';
import { Restrictions } from '../collector/subjects/restrictions.js';
import { inventoryRecords, type InventoryRecord } from '../collector/subjects/subject-inventory.js';
import type { SpanRecord } from '../shared/span-record.js';
import { makeBatches, makeInferenceTrace, numberArg } from './collector-spans.js';

const total = numberArg('spans', 200_000);
const subjectSpans = numberArg('subject-spans', 1000);
const runs = numberArg('runs', 10);
const dir = mkdtempSync(join(tmpdir(), 'infertrace-bench-access-'));
const SUBJECT = `hmac:k1:${'5e'.repeat(32)}`;

const store = openSqliteStore({ path: join(dir, 'access.db'), schemaSteps: AREA_SCHEMA_STEPS });
let start = 1_760_000_000_000_000_000n;
console.log(`subject-access: filling with ${total} spans and ${subjectSpans} of the subject`);
const subjectTraces: string[] = [];
const every = Math.max(1, Math.floor(total / 2 / subjectSpans));
for (let done = 0, n = 0; done < total;) {
  const { batches } = makeBatches(10, 512, start);
  start += 5120n * 40_000n;
  for (const batch of batches) {
    // The subject's requests are spread over the whole fill, as a person's are over time.
    const mine: SpanRecord[] = [];
    for (let i = 0; i < batch.length / 2; i++, n++)
      if (n % every === 0 && subjectTraces.length < subjectSpans) {
        const t = makeInferenceTrace(start + BigInt(n) * 1000n);
        const server = t.spans[0] as SpanRecord;
        server.attributes['enduser.pseudo.id'] = SUBJECT;
        subjectTraces.push(server.traceId);
        mine.push(server);
      }
    await store.writeSpans([...batch, ...mine]);
    done += batch.length;
  }
}
while (subjectTraces.length < subjectSpans) {
  const t = makeInferenceTrace(start);
  const server = t.spans[0] as SpanRecord;
  server.attributes['enduser.pseudo.id'] = SUBJECT;
  subjectTraces.push(server.traceId);
  await store.writeSpans([server]);
}

const db = store.db;
const deps = {
  db,
  stored: store.rows,
  feedback: createSqliteFeedbackStore(db),
  alerts: createSqliteAlertStore(db),
  references: createSqliteDriftStores(db).references,
  restrictions: new Restrictions(db),
  driftBucketMs: resolveDriftSettings().bucketWidthMs,
  clock: Date.now,
};

async function exportOnce(): Promise<{ ms: number; bytes: number; spans: number }> {
  let spans = 0;
  async function* counted(): AsyncGenerator<InventoryRecord> {
    for await (const r of inventoryRecords(deps, [SUBJECT])) {
      if (r.type === 'span') spans++;
      yield r;
    }
  }
  const t = performance.now();
  let bytes = 0;
  for await (const chunk of jsonDocument(counted())) bytes += Buffer.byteLength(chunk);
  return { ms: performance.now() - t, bytes, spans };
}

async function baselineOnce(): Promise<{ ms: number; spans: number }> {
  const t = performance.now();
  let spans = 0;
  for (const id of subjectTraces) spans += (await store.getTrace(id)).filter((s) => s.kind === 'SERVER').length;
  return { ms: performance.now() - t, spans };
}

const exportMs: number[] = [];
const baseMs: number[] = [];
let exported = { bytes: 0, spans: 0 };
for (let i = 0; i < runs + 1; i++) {
  const e = await exportOnce();
  const b = await baselineOnce();
  if (i === 0) continue; // warm-up
  exportMs.push(e.ms);
  baseMs.push(b.ms);
  exported = e;
  if (e.spans !== subjectSpans || b.spans !== subjectSpans)
    throw new Error(`expected ${subjectSpans} spans, export found ${e.spans}, baseline ${b.spans}`);
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const max = (xs: number[]): number => Math.max(...xs);
const spanCount = db.prepare('SELECT count(*) FROM spans').pluck().get() as number;
console.log(`
${spanCount} spans stored; the subject has ${subjectSpans} (target: export ≤ 1 s)
access export (JSON document, ${(exported.bytes / 1024).toFixed(0)} KiB): median ${median(exportMs).toFixed(1)} ms, max ${max(exportMs).toFixed(1)} ms (n=${runs})
baseline: getTrace of each of their traces: median ${median(baseMs).toFixed(1)} ms, max ${max(baseMs).toFixed(1)} ms
ratio export / baseline (medians): ${(median(exportMs) / median(baseMs)).toFixed(2)}×`);
await store.close();
rmSync(dir, { recursive: true, force: true });

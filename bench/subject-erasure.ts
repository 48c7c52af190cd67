/**
 * Erasure of data subjects with a big database: `--spans` spans stored (default 1,000,000; built
 * once through the store's writer API with the drift and relationship listeners attached, in
 * batches of 512, not over HTTP), among them 200 subjects with 10 spans each (some in batches
 * shared with other people). Then, same run:
 *  1. erasure latency: 100 subjects erased one after the other, each a whole job (find through
 *     the key index, summaries, spans, feedback, outbox, alerts, TRUNCATE checkpoint, audit log);
 *     p50/p99/max against the 100 ms target, beside the key-index lookup of the same subjects alone;
 *  2. ingest throughput while the other 100 subjects are erased, against ingest alone.
 *
 *   node --import tsx bench/subject-erasure.ts [--spans 1000000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AREA_SCHEMA_STEPS } from '../collector/area-schema.js';
import { createDriftPipeline } from '../collector/drift/drift-pipeline.js';
import { createRelationshipPipeline } from '../collector/relationships/relationship-pipeline.js';
import { withSpanListeners } from '../collector/storage/span-listener.js';
import { openSqliteStore } from '../collector/storage/sqlite/sqlite-store.js';
import { runErasure } from '../collector/subjects/erasure/erasure-job.js';
import { SubjectRights } from '../collector/subjects/subject-rights.js';
import { subjectSpans } from '../collector/subjects/subject-spans.js';
import type { SpanRecord } from '../shared/span-record.js';
import { numberArg } from './collector-spans.js';
import { spanRecord } from '../test/collector/support/span-record-factory.js';

const total = numberArg('spans', 1_000_000);
const SUBJECTS = 200;
const PER_SUBJECT = 10;
const dir = mkdtempSync(join(tmpdir(), 'infertrace-bench-erasure-'));
const pseudonym = (n: number): string => `hmac:k1:${n.toString(16).padStart(64, '0')}`;
const startNs = BigInt(Date.now() - 3_600_000) * 1_000_000n;

function span(i: number, subject: string | string[] | undefined): SpanRecord {
  const rows = Array.isArray(subject) ? subject.length : 1;
  const values = (f: (r: number) => number | string) =>
    rows === 1 ? f(0) : Array.from({ length: rows }, (_, r) => f(r));
  // spanRecord starts a span a second before the time it is given; 4 ms long like a model call.
  const start = startNs + BigInt(i) * 1_000_000n;
  return spanRecord(start + 1_000_000_000n, {
    endTimeUnixNano: start + 4_000_000n,
    attributes: {
      'ml.request.id': `req-${i}`,
      'ml.model.name': 'credit',
      ...(subject === undefined ? {} : { 'enduser.pseudo.id': subject }),
      ...(rows > 1 ? { 'ml.batch.size': rows } : {}),
      'ml.input.amount': values((r) => (i * 7 + r) % 1000),
      'ml.input.city': values((r) => `city-${(i + r) % 50}`),
      'ml.output.score': values((r) => ((i + r) % 100) / 100),
    },
    serviceName: 'credit',
    resource: { 'service.name': 'credit' },
    scope: { name: 'bench', version: '1' },
  });
}

const clock = (): number => Date.now();
const drift = createDriftPipeline({ clock });
const relationships = createRelationshipPipeline({ drift, clock });
const sqlite = openSqliteStore({ path: join(dir, 'erasure.db'), schemaSteps: AREA_SCHEMA_STEPS, retention: {} });
const store = withSpanListeners(sqlite, [drift.bind(sqlite), relationships.bind(sqlite)]);
drift.start();
relationships.start();
const rights = new SubjectRights({ sqlite, keyring: undefined, derived: { drift, relationships } });

// Subject spans are spread evenly through the database: every `stride`-th span is one of theirs.
const subjectSpanCount = SUBJECTS * PER_SUBJECT;
const stride = Math.floor(total / subjectSpanCount);
const subjectAt = (i: number): string | string[] | undefined => {
  if (i % stride !== 0 || i / stride >= subjectSpanCount) return undefined;
  const k = i / stride;
  const s = pseudonym(k % SUBJECTS);
  // Every fifth of a subject's spans is a batch shared with two other people.
  return Math.floor(k / SUBJECTS) % 5 === 4 ? [s, pseudonym(1_000_000 + k), pseudonym(2_000_000 + k)] : s;
};

console.log(
  `subject erasure: building ${total} spans (writer API, batches of 512, drift + relationship listeners) in ${dir}`,
);
const built = performance.now();
let next = 0;
const ingest = async (count: number): Promise<number> => {
  const t = performance.now();
  for (let done = 0; done < count;) {
    const n = Math.min(512, count - done);
    await store.writeSpans(Array.from({ length: n }, (_, j) => span(next + j, subjectAt(next + j))));
    next += n;
    done += n;
  }
  return count / ((performance.now() - t) / 1000);
};
await ingest(total);
drift.flush();
console.log(`  built in ${((performance.now() - built) / 1000).toFixed(0)} s (${sqlite.usedBytes() >> 20} MiB)`);

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] as number;
};
const ms = (x: number): string => `${x.toFixed(1)} ms`;

// 1. Latency: subjects 0..99, one at a time; the lookup alone first, as the baseline.
const lookups: number[] = [];
for (let s = 0; s < 100; s++) {
  const t = performance.now();
  const found = subjectSpans(sqlite.rows, [pseudonym(s)]);
  lookups.push(performance.now() - t);
  if (found.length !== PER_SUBJECT) throw new Error(`subject ${s}: found ${found.length} spans`);
}
const erasures: number[] = [];
for (let s = 0; s < 100; s++) {
  const t = performance.now();
  const id = rights.requests.start('erase', [pseudonym(s)], 'bench', { mode: 'delete' });
  await runErasure(rights, { ...rights.requests.get(id)!, pseudonyms: [pseudonym(s)] });
  erasures.push(performance.now() - t);
  const r = rights.requests.get(id);
  if (r?.status !== 'done') throw new Error(`erasure ${s}: ${JSON.stringify(r?.result)}`);
}
console.log(
  `erasure of a subject with ${PER_SUBJECT} spans, ${total} stored (100 subjects, incl. TRUNCATE checkpoint):`,
);
console.log(
  `  p50 ${ms(pct(erasures, 50))}  p99 ${ms(pct(erasures, 99))}  max ${ms(Math.max(...erasures))}   (target p99 ≤ 100 ms)`,
);
console.log(`  baseline, the key-index lookup alone: p50 ${ms(pct(lookups, 50))}  p99 ${ms(pct(lookups, 99))}`);

// 2. Ingest alone, then ingest while subjects 100..199 are erased; twice, alternating.
const CHUNK = 50_000;
const alone: number[] = [];
const during: number[] = [];
let erased = 100;
for (let round = 0; round < 2; round++) {
  alone.push(await ingest(CHUNK));
  let stop = false;
  const eraser = (async () => {
    while (!stop && erased < SUBJECTS) {
      const s = erased++;
      const id = rights.requests.start('erase', [pseudonym(s)], 'bench', { mode: 'delete' });
      await runErasure(rights, { ...rights.requests.get(id)!, pseudonyms: [pseudonym(s)] });
    }
  })();
  during.push(await ingest(CHUNK));
  stop = true;
  await eraser;
}
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
console.log(`ingest (batches of 512, one sender), ${CHUNK} spans per phase, 2 rounds:`);
console.log(
  `  alone ${Math.round(mean(alone))} spans/s; while erasing ${Math.round(mean(during))} spans/s (${((100 * mean(during)) / mean(alone)).toFixed(0)} %; ${erased - 100} subjects erased meanwhile)`,
);

await drift.stop();
await relationships.stop();
await sqlite.close();
rmSync(dir, { recursive: true, force: true });

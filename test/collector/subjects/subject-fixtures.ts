import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { Pseudonymiser, SUBJECT_PURPOSE } from '../../../shared/pseudonyms/hmac.js';
import type { SpanRecord } from '../../../shared/span-record.js';
import { decodeSummary } from '../../../collector/drift/summaries/summary-codec.js';
import { spanRecord } from '../support/span-record-factory.js';

/** The keyring of subject-collector.ts, to compute the pseudonyms the sidecar would have written. */
export const RING = new Pseudonymiser('k2', Buffer.alloc(32, 0x22), [{ id: 'k1', key: Buffer.alloc(32, 0x11) }]);
export const pseudonymOf = (raw: string): string => RING.pseudonymise(raw, SUBJECT_PURPOSE);

const NOW = BigInt(Date.now()) * 1_000_000n;

/** A captured SERVER span of one subject, with values that name them (`tag` makes them unique). */
export function subjectSpan(raw: string, tag: string, i: number): SpanRecord {
  return spanRecord(NOW - BigInt(i) * 1_000_000n, {
    attributes: {
      'enduser.pseudo.id': pseudonymOf(raw),
      'ml.request.id': `req-${tag}-${i}`,
      'ml.model.name': 'credit',
      'ml.input.name': `NAME-${tag}-${i}`,
      'ml.input.city': i % 2 === 0 ? 'Lyon' : 'Turin',
      'ml.input.amount': 100 + i,
      'ml.output.score': (i % 10) / 10,
      'client.address': '10.1.2.0',
      'user_agent.original': `agent-${tag}`,
    },
  });
}

/** A batch of three rows, one per subject, each with values that name them. */
export function batchSpan(raws: readonly string[], tag: string): SpanRecord {
  return spanRecord(NOW, {
    attributes: {
      'enduser.pseudo.id': raws.map(pseudonymOf),
      'ml.request.id': `req-batch-${tag}`,
      'ml.model.name': 'credit',
      'ml.batch.size': raws.length,
      'ml.input.name': raws.map((r) => `NAME-${r}-batch-${tag}`),
      'ml.input.amount': raws.map((_r, i) => 500 + i),
      'ml.output.score': raws.map((_r, i) => i / 10),
    },
  });
}

/** The bytes of the database file and its -wal and -shm, as latin1 text (for byte scans). */
export function databaseBytes(db: string): string {
  return ['', '-wal', '-shm']
    .map((suffix) => (existsSync(db + suffix) ? readFileSync(db + suffix).toString('latin1') : ''))
    .join('\n');
}

/** The drift summaries of a database, decoded and normalised (counts, categories, rounded moments), empty ones left out. */
export function driftSummaries(file: string): Record<string, unknown> {
  const db = new Database(file, { readonly: true });
  try {
    const rows = db.prepare('SELECT model, version, bucket_ms, feature, summary FROM drift_summaries').all() as {
      model: string;
      version: string;
      bucket_ms: number;
      feature: string;
      summary: Buffer;
    }[];
    const out: Record<string, unknown> = {};
    for (const r of rows) {
      const s = JSON.parse(
        JSON.stringify(decodeSummary(r.summary), (_k, v) => (typeof v === 'bigint' ? Number(v) : v)),
      );
      const normal = JSON.parse(
        JSON.stringify(s, (_k, v: unknown) =>
          typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(9)) : v,
        ),
      ) as Record<string, unknown>;
      out[`${r.model}/${r.version}/${r.bucket_ms}/${r.feature}`] = normal;
    }
    return out;
  } finally {
    db.close();
  }
}

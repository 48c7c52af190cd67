import type Database from 'better-sqlite3';
import type { RemovalResult } from '../drift/summary-erasure.js';
import type { PairDelta } from './pair-accumulator.js';
import {
  applyPairRemoval,
  isEmptySummary,
  type PairRemoval,
  type PairRow,
  type RelationshipStore,
} from './relationship-store.js';
import { PairSummary, type PairSummaryJson } from './summaries/pair-summary.js';

/** The relationship store on the collector's database (relationship-schema.ts must have run). */
interface DbRow {
  model: string;
  version: string;
  bucket_ms: number;
  width_ms: number;
  input: string;
  output: string;
  summary: string;
}

export function createSqliteRelationshipStore(db: Database.Database, maxLabels?: number): RelationshipStore {
  const decode = (text: string): PairSummary => PairSummary.fromJson(JSON.parse(text) as PairSummaryJson, maxLabels);
  const encode = (s: PairSummary): string => JSON.stringify(s.toJson());
  const prepare = (sql: string): Database.Statement => db.prepare(sql).safeIntegers(false);
  const key = 'model = ? AND version = ? AND bucket_ms = ? AND input = ? AND output = ?';
  const st = {
    get: prepare(`SELECT summary FROM relationship_summaries WHERE ${key}`).pluck(),
    upsert:
      prepare(`INSERT INTO relationship_summaries (model, version, bucket_ms, input, output, width_ms, summary) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (model, version, bucket_ms, input, output) DO UPDATE SET summary = excluded.summary, width_ms = excluded.width_ms`),
    read: prepare(`SELECT * FROM relationship_summaries WHERE model = ? AND bucket_ms >= ? AND bucket_ms + width_ms <= ?
      ORDER BY bucket_ms, output, input`),
    readVersion:
      prepare(`SELECT * FROM relationship_summaries WHERE model = ? AND version = ? AND bucket_ms >= ? AND bucket_ms + width_ms <= ?
      ORDER BY bucket_ms, output, input`),
    update: prepare(`UPDATE relationship_summaries SET summary = ? WHERE ${key}`),
    drop: prepare(`DELETE FROM relationship_summaries WHERE ${key}`),
  };
  const mergeAll = db.transaction((deltas: readonly PairDelta[]) => {
    for (const d of deltas) {
      const stored = st.get.get(d.model, d.version, d.bucketMs, d.input, d.output) as string | undefined;
      const summary = stored === undefined ? d.summary : decode(stored);
      if (stored !== undefined) summary.merge(d.summary);
      st.upsert.run(d.model, d.version, d.bucketMs, d.input, d.output, d.widthMs, encode(summary));
    }
  });
  const removeAll = db.transaction((removals: readonly PairRemoval[]): RemovalResult => {
    const total: RemovalResult = { removed: 0, notFound: 0 };
    for (const r of removals) {
      const stored = st.get.get(r.model, r.version, r.bucketMs, r.input, r.output) as string | undefined;
      if (stored === undefined) {
        total.notFound += r.rows.length;
        continue;
      }
      const summary = decode(stored);
      const result = applyPairRemoval(summary, r);
      total.removed += result.removed;
      total.notFound += result.notFound;
      if (isEmptySummary(summary)) st.drop.run(r.model, r.version, r.bucketMs, r.input, r.output);
      else st.update.run(encode(summary), r.model, r.version, r.bucketMs, r.input, r.output);
    }
    return total;
  });
  return {
    merge: (deltas) => {
      if (deltas.length > 0) mergeAll.immediate(deltas);
    },
    read(range) {
      const rows = (
        range.version === undefined
          ? st.read.all(range.model, range.fromMs, range.toMs)
          : st.readVersion.all(range.model, range.version, range.fromMs, range.toMs)
      ) as DbRow[];
      return rows.map((r): PairRow => ({
        model: r.model,
        version: r.version,
        bucketMs: r.bucket_ms,
        widthMs: r.width_ms,
        input: r.input,
        output: r.output,
        summary: decode(r.summary),
      }));
    },
    remove: (removals) => removeAll(removals),
  };
}

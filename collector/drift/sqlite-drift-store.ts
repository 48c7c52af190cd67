import type Database from 'better-sqlite3';
import { decodeSummary, encodeSummary } from './summaries/summary-codec.js';
import type { Cell } from './cells.js';
import type {
  DriftStores,
  KnownFeature,
  ReferenceFeature,
  ReferenceStore,
  StoredReference,
  SummaryRow,
  SummaryStore,
} from './drift-store.js';
import type { SummaryDelta } from './summary-accumulator.js';
import { applyRemoval, type RemovalResult, type SummaryRemoval } from './summary-erasure.js';
import { mergeTyped } from './typed-summary.js';

/**
 * The drift stores on the collector's SQLite database (tables from drift-schema.ts, which must
 * have run). Statements are prepared once; each call is one transaction.
 */
interface SummaryDbRow {
  model: string;
  version: string;
  bucket_ms: number;
  feature: string;
  width_ms: number;
  summary: Uint8Array;
}

interface ReferenceDbRow {
  model: string;
  version: string;
  kind: string;
  created_ms: number;
  source: string | null;
  rows: number | null;
  start_ms: number | null;
  end_ms: number | null;
  keep: number;
}

interface FeatureDbRow {
  feature: string;
  summary: Uint8Array;
  raw: string | null;
  has_raw: number;
}

const toRow = (r: SummaryDbRow): SummaryRow => ({
  model: r.model,
  version: r.version,
  feature: r.feature,
  bucketMs: r.bucket_ms,
  widthMs: r.width_ms,
  summary: decodeSummary(r.summary),
});

function createSqliteSummaryStore(db: Database.Database): SummaryStore {
  const prepare = (sql: string): Database.Statement => db.prepare(sql).safeIntegers(false);
  const st = {
    get: prepare(
      'SELECT summary FROM drift_summaries WHERE model = ? AND version = ? AND bucket_ms = ? AND feature = ?',
    ).pluck(),
    upsert:
      prepare(`INSERT INTO drift_summaries (model, version, bucket_ms, feature, width_ms, summary) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (model, version, bucket_ms, feature) DO UPDATE SET summary = excluded.summary, width_ms = excluded.width_ms`),
    read: prepare(`SELECT * FROM drift_summaries WHERE model = ? AND bucket_ms >= ? AND bucket_ms + width_ms <= ?
      ORDER BY bucket_ms, feature`),
    readVersion:
      prepare(`SELECT * FROM drift_summaries WHERE model = ? AND version = ? AND bucket_ms >= ? AND bucket_ms + width_ms <= ?
      ORDER BY bucket_ms, feature`),
    // SQLite takes the bare columns (summary) from the row holding max(): the latest bucket's type.
    features: prepare(`SELECT model, version, feature, summary, max(bucket_ms) AS latest FROM drift_summaries
      WHERE bucket_ms >= ? GROUP BY model, version, feature`),
    update: prepare(
      'UPDATE drift_summaries SET summary = ? WHERE model = ? AND version = ? AND bucket_ms = ? AND feature = ?',
    ),
    drop: prepare('DELETE FROM drift_summaries WHERE model = ? AND version = ? AND bucket_ms = ? AND feature = ?'),
  };
  const removeAll = db.transaction((removals: readonly SummaryRemoval[]): RemovalResult => {
    const total: RemovalResult = { removed: 0, notFound: 0 };
    for (const r of removals) {
      const stored = st.get.get(r.model, r.version, r.bucketMs, r.feature) as Uint8Array | undefined;
      if (stored === undefined) {
        total.notFound += r.values.length + r.missing;
        continue;
      }
      const summary = decodeSummary(stored);
      const result = applyRemoval(summary, r);
      total.removed += result.removed;
      total.notFound += result.notFound;
      // A summary left empty is deleted, so nothing of the subject's bucket lingers.
      if (summary.count + summary.missing === 0) st.drop.run(r.model, r.version, r.bucketMs, r.feature);
      else st.update.run(encodeSummary(summary), r.model, r.version, r.bucketMs, r.feature);
    }
    return total;
  });
  const mergeAll = db.transaction((deltas: readonly SummaryDelta[]) => {
    for (const d of deltas) {
      const stored = st.get.get(d.model, d.version, d.bucketMs, d.feature) as Uint8Array | undefined;
      const summary = stored === undefined ? d.summary : mergeTyped(decodeSummary(stored), d.summary);
      st.upsert.run(d.model, d.version, d.bucketMs, d.feature, d.widthMs, encodeSummary(summary));
    }
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
      ) as SummaryDbRow[];
      return rows.map(toRow);
    },
    features(sinceMs) {
      const rows = st.features.all(sinceMs) as {
        model: string;
        version: string;
        feature: string;
        summary: Uint8Array;
      }[];
      return rows.map((r): KnownFeature => ({
        model: r.model,
        version: r.version,
        feature: r.feature,
        type: decodeSummary(r.summary).type,
      }));
    },
    // Joins the caller's transaction when there is one (better-sqlite3 nests it as a savepoint).
    remove: (removals) => removeAll(removals),
  };
}

function createSqliteReferenceStore(db: Database.Database): ReferenceStore {
  const prepare = (sql: string): Database.Statement => db.prepare(sql).safeIntegers(false);
  const st = {
    putRef:
      prepare(`INSERT OR REPLACE INTO drift_references (model, version, kind, created_ms, source, rows, start_ms, end_ms, keep)
      VALUES (@model, @version, @kind, @created_ms, @source, @rows, @start_ms, @end_ms, @keep)`),
    setKeep: prepare('UPDATE drift_references SET keep = ? WHERE model = ? AND version = ?'),
    dropFeatures: prepare('DELETE FROM drift_reference_features WHERE model = ? AND version = ?'),
    putFeature: prepare(
      'INSERT INTO drift_reference_features (model, version, feature, summary, raw) VALUES (?, ?, ?, ?, ?)',
    ),
    getRef: prepare('SELECT * FROM drift_references WHERE model = ? AND version = ?'),
    features: prepare(
      'SELECT feature, summary, raw, raw IS NOT NULL AS has_raw FROM drift_reference_features WHERE model = ? AND version = ? ORDER BY feature',
    ),
    featuresNoRaw: prepare(
      'SELECT feature, summary, NULL AS raw, raw IS NOT NULL AS has_raw FROM drift_reference_features WHERE model = ? AND version = ? ORDER BY feature',
    ),
    listRefs: prepare('SELECT * FROM drift_references WHERE model = ? ORDER BY version'),
    dropRef: prepare('DELETE FROM drift_references WHERE model = ? AND version = ?'),
  };

  const assemble = (r: ReferenceDbRow, withRaw: boolean): StoredReference => {
    if (r.kind === 'window') {
      return {
        kind: 'window',
        model: r.model,
        version: r.version,
        createdMs: r.created_ms,
        startMs: r.start_ms ?? 0,
        endMs: r.end_ms ?? 0,
        ...(r.keep === 1 ? { keep: true } : {}),
      };
    }
    const rows = (withRaw ? st.features : st.featuresNoRaw).all(r.model, r.version) as FeatureDbRow[];
    const features = rows.map((f): ReferenceFeature => ({
      name: f.feature,
      summary: decodeSummary(f.summary),
      hasRaw: f.has_raw === 1,
      ...(f.raw === null ? {} : { raw: JSON.parse(f.raw) as Cell[] }),
    }));
    return {
      kind: 'training',
      model: r.model,
      version: r.version,
      createdMs: r.created_ms,
      source: r.source === 'json' ? 'json' : 'csv',
      rows: r.rows ?? 0,
      features,
      ...(r.keep === 1 ? { keep: true } : {}),
    };
  };

  const put = db.transaction((r: StoredReference) => {
    st.dropFeatures.run(r.model, r.version);
    st.putRef.run({
      model: r.model,
      version: r.version,
      kind: r.kind,
      created_ms: r.createdMs,
      source: r.kind === 'training' ? r.source : null,
      rows: r.kind === 'training' ? r.rows : null,
      start_ms: r.kind === 'window' ? r.startMs : null,
      end_ms: r.kind === 'window' ? r.endMs : null,
      keep: r.keep === true ? 1 : 0,
    });
    if (r.kind === 'training') {
      for (const f of r.features) {
        st.putFeature.run(
          r.model,
          r.version,
          f.name,
          encodeSummary(f.summary),
          f.raw === undefined ? null : JSON.stringify(f.raw),
        );
      }
    }
  });
  const drop = db.transaction((model: string, version: string) => {
    st.dropFeatures.run(model, version);
    return st.dropRef.run(model, version).changes > 0;
  });

  return {
    put: (r) => put.immediate(r),
    get(model, version) {
      const r = st.getRef.get(model, version) as ReferenceDbRow | undefined;
      return r === undefined ? undefined : assemble(r, true);
    },
    list: (model) => (st.listRefs.all(model) as ReferenceDbRow[]).map((r) => assemble(r, false)),
    delete: (model, version) => drop.immediate(model, version),
    setKeep: (model, version, keep) => st.setKeep.run(keep ? 1 : 0, model, version).changes > 0,
  };
}

export function createSqliteDriftStores(db: Database.Database): DriftStores {
  return { summaries: createSqliteSummaryStore(db), references: createSqliteReferenceStore(db) };
}

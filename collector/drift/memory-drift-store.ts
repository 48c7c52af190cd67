import type { Summary } from './summaries/summary-codec.js';
import type { DriftStores, KnownFeature, ReferenceStore, StoredReference, SummaryRow, SummaryStore } from './drift-store.js';
import type { SummaryDelta } from './summary-accumulator.js';
import { applyRemoval, type RemovalResult } from './summary-erasure.js';
import { mergeTyped } from './typed-summary.js';

/** The drift stores in memory, for tests and `--db :memory:`-style runs: same contract as SQLite. */

const key = (...parts: (string | number)[]): string => parts.join('\u0000');

function copyReference(r: StoredReference, withRaw: boolean): StoredReference {
  if (r.kind === 'window') return { ...r };
  return {
    ...r,
    features: r.features.map((f) => ({
      name: f.name,
      summary: f.summary.clone(),
      hasRaw: f.raw !== undefined,
      ...(withRaw && f.raw !== undefined ? { raw: [...f.raw] } : {}),
    })),
  };
}

export function createMemorySummaryStore(): SummaryStore {
  const rows = new Map<string, SummaryRow>();
  return {
    merge(deltas: readonly SummaryDelta[]) {
      for (const d of deltas) {
        const k = key(d.model, d.version, d.feature, d.bucketMs);
        const have = rows.get(k);
        const summary: Summary = have === undefined ? d.summary.clone() : mergeTyped(have.summary, d.summary);
        rows.set(k, { ...d, summary });
      }
    },
    read(range) {
      const out: SummaryRow[] = [];
      for (const r of rows.values()) {
        if (r.model !== range.model || (range.version !== undefined && r.version !== range.version)) continue;
        if (r.bucketMs < range.fromMs || r.bucketMs + r.widthMs > range.toMs) continue;
        out.push({ ...r, summary: r.summary.clone() });
      }
      return out.sort((a, b) => a.bucketMs - b.bucketMs || (a.feature < b.feature ? -1 : a.feature > b.feature ? 1 : 0));
    },
    features(sinceMs) {
      const seen = new Map<string, KnownFeature>();
      for (const r of rows.values()) {
        if (r.bucketMs < sinceMs) continue;
        seen.set(key(r.model, r.version, r.feature), { model: r.model, version: r.version, feature: r.feature, type: r.summary.type });
      }
      return [...seen.values()];
    },
    remove(removals) {
      const total: RemovalResult = { removed: 0, notFound: 0 };
      for (const r of removals) {
        const row = rows.get(key(r.model, r.version, r.feature, r.bucketMs));
        const result = row === undefined ? { removed: 0, notFound: r.values.length + r.missing } : applyRemoval(row.summary, r);
        total.removed += result.removed;
        total.notFound += result.notFound;
      }
      return total;
    },
    deleteBefore(beforeMs) {
      let n = 0;
      for (const [k, r] of rows) {
        if (r.bucketMs + r.widthMs <= beforeMs) {
          rows.delete(k);
          n++;
        }
      }
      return n;
    },
  };
}

export function createMemoryReferenceStore(): ReferenceStore {
  const refs = new Map<string, StoredReference>();
  return {
    put(r) {
      refs.set(key(r.model, r.version), copyReference(r, true));
    },
    get(model, version) {
      const r = refs.get(key(model, version));
      return r === undefined ? undefined : copyReference(r, true);
    },
    list(model) {
      return [...refs.values()]
        .filter((r) => r.model === model)
        .sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0))
        .map((r) => copyReference(r, false));
    },
    delete(model, version) {
      return refs.delete(key(model, version));
    },
  };
}

export function createMemoryDriftStores(): DriftStores {
  return { summaries: createMemorySummaryStore(), references: createMemoryReferenceStore() };
}

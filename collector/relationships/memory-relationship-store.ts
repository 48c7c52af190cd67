import type { RemovalResult } from '../drift/summary-erasure.js';
import { applyPairRemoval, isEmptySummary, type PairRow, type RelationshipStore } from './relationship-store.js';

/** The relationship store in memory: for span stores without a database (the memory store, tests). */
export function createMemoryRelationshipStore(): RelationshipStore {
  const rows = new Map<string, PairRow>();
  const keyOf = (r: { model: string; version: string; bucketMs: number; input: string; output: string }): string =>
    [r.model, r.version, r.bucketMs, r.input, r.output].join('\u0000');
  return {
    merge(deltas) {
      for (const d of deltas) {
        const have = rows.get(keyOf(d));
        if (have === undefined) rows.set(keyOf(d), { ...d, summary: d.summary.clone() });
        else have.summary.merge(d.summary);
      }
    },
    read(range) {
      return [...rows.values()]
        .filter((r) => r.model === range.model && (range.version === undefined || r.version === range.version) &&
          r.bucketMs >= range.fromMs && r.bucketMs + r.widthMs <= range.toMs)
        .sort((a, b) => a.bucketMs - b.bucketMs || (a.output < b.output ? -1 : a.output > b.output ? 1 : a.input < b.input ? -1 : a.input > b.input ? 1 : 0))
        .map((r) => ({ ...r, summary: r.summary.clone() }));
    },
    remove(removals) {
      const total: RemovalResult = { removed: 0, notFound: 0 };
      for (const r of removals) {
        const have = rows.get(keyOf(r));
        if (have === undefined) {
          total.notFound += r.rows.length;
          continue;
        }
        const result = applyPairRemoval(have.summary, r);
        total.removed += result.removed;
        total.notFound += result.notFound;
        if (isEmptySummary(have.summary)) rows.delete(keyOf(r));
      }
      return total;
    },
    deleteBefore(beforeMs) {
      let n = 0;
      for (const [k, r] of rows) {
        if (r.bucketMs < beforeMs && r.bucketMs + r.widthMs <= beforeMs) {
          rows.delete(k);
          n += 1;
        }
      }
      return n;
    },
  };
}

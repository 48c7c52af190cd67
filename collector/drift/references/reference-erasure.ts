import type Database from 'better-sqlite3';

/**
 * Which stored window references were built from a data subject's traffic: a window reference is
 * a time range read from the drift summaries whenever it is used, so once the erasure has taken the
 * subject out of the summaries it is rebuilt without them by itself. Counted for the receipt.
 */
export function windowReferencesCovering(
  db: Database.Database,
  spans: readonly { model: string; version: string; startMs: number }[],
): { model: string; version: string }[] {
  if (spans.length === 0) return [];
  const refs = db
    .prepare("SELECT model, version, start_ms, end_ms FROM drift_references WHERE kind = 'window'")
    .all() as { model: string; version: string; start_ms: number; end_ms: number }[];
  return refs
    .filter((r) =>
      spans.some(
        (s) =>
          s.model === r.model &&
          (r.version === '' || s.version === r.version) &&
          s.startMs >= r.start_ms &&
          s.startMs < r.end_ms,
      ),
    )
    .map((r) => ({ model: r.model, version: r.version }));
}

/**
 * The identity of a latency series: who served the request, which operation, which model and
 * version. Absent model attributes are the empty string, so non-model services still get series.
 */
export interface SeriesKey {
  readonly service: string;
  readonly operation: string;
  readonly model: string;
  readonly version: string;
}

/**
 * A query's constraint on series: absent fields do not constrain, present ones match exactly (so
 * an empty model matches the series of spans without `ml.model.name`).
 */
export type SeriesFilter = { -readonly [K in keyof SeriesKey]?: SeriesKey[K] };

/** Where spans go once `maxSeries` distinct series exist, so totals stay right. */
export const OVERFLOW_SERIES: SeriesKey = Object.freeze({
  service: '__overflow__',
  operation: '__overflow__',
  model: '__overflow__',
  version: '__overflow__',
});

export function matchesFilter(k: SeriesKey, f: SeriesFilter): boolean {
  return (
    (f.service === undefined || f.service === k.service) &&
    (f.operation === undefined || f.operation === k.operation) &&
    (f.model === undefined || f.model === k.model) &&
    (f.version === undefined || f.version === k.version)
  );
}

/** Orders series by service, operation, model, version (code-point order, stable across locales). */
export function compareSeriesKeys(a: SeriesKey, b: SeriesKey): number {
  for (const field of ['service', 'operation', 'model', 'version'] as const) {
    if (a[field] !== b[field]) return a[field] < b[field] ? -1 : 1;
  }
  return 0;
}

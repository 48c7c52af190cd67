import { ML } from '../../shared/attribute-keys.js';
import type { DriftFlag } from './report/drift-flags.js';
import { binContains, type MovedBin } from './report/moved-bins.js';
import type { CapturedSpan } from './captured-span.js';
import type { FeatureJson } from './drift-json.js';
import { cellAt, rowCount, type Cell } from './cells.js';
import { attributeOfFeature, groupOf } from './feature-key.js';
import { rowSlices, type SliceValue } from './slices.js';
import type { WindowSpanQuery, WindowSpanSource } from './window-spans.js';

/**
 * Exemplar requests behind a drifted feature: requests of the current window (newest first) with a
 * row whose value falls in one of the feature's moved bins that GAINED share (where the mass went),
 * or — for a feature that went missing — a row where it is missing. One scan serves every target
 * (the whole report's features and each slice's) and stops as soon as each has enough, or after
 * `limit` spans.
 */
export interface Exemplar {
  requestId: string;
  traceId: string;
  /** Start of the request's SERVER span, RFC 3339. */
  time: string;
  /** The row of the batch (0 for a one-row call). */
  row: number;
  value: Cell;
  /** Index into the feature's topMovedBins; null for a missing value. */
  bin: number | null;
}

export interface ExemplarTarget {
  feature: string;
  bins: readonly MovedBin[];
  flags: readonly DriftFlag[];
  /** Only rows of this slice count (with `exclude`: only rows of every other slice), when set. */
  slice?: { key: string; value: SliceValue; exclude?: boolean };
  found: Exemplar[];
}

/** Targets for the exemplar scan whose `found` lists are the features' own exemplar arrays. */
export function exemplarTargets(features: FeatureJson[], slice?: ExemplarTarget['slice']): ExemplarTarget[] {
  return features
    .filter((f) => f.drifted)
    .map((f) => ({
      feature: f.name,
      bins: f.topMovedBins,
      flags: f.flags,
      found: f.exemplars,
      ...(slice ? { slice } : {}),
    }));
}

function wantsMissing(t: ExemplarTarget): boolean {
  return t.flags.some(
    (f) => f.kind === 'feature_missing' || (f.kind === 'missing_rate_changed' && f.current > f.reference),
  );
}

/** Whether a target can have exemplars at all (a gaining bin that a value can fall in, or missing values). */
export function canHaveExemplars(t: Pick<ExemplarTarget, 'bins' | 'flags'>): boolean {
  return (
    t.bins.some((b) => b.delta > 0 && (b.kind === 'range' || !b.category.startsWith('__'))) ||
    wantsMissing(t as ExemplarTarget)
  );
}

function matchRow(t: ExemplarTarget, cell: Cell | undefined): number | null | undefined {
  if (cell === undefined) return undefined;
  if (cell === null) return wantsMissing(t) ? null : undefined;
  for (let i = 0; i < t.bins.length; i++) {
    const bin = t.bins[i]!;
    if (bin.delta > 0 && binContains(bin, cell)) return i;
  }
  return undefined;
}

/** Rows of a span in (or, with exclude, outside) a slice: undefined = every row, [] = none. */
function sliceRows(
  slices: Map<SliceValue, number[] | undefined>,
  value: SliceValue,
  exclude: boolean,
): number[] | undefined {
  if (!exclude) return slices.has(value) ? slices.get(value) : [];
  if (!slices.has(value)) return undefined;
  const out: number[] = [];
  for (const [v, rows] of slices) if (v !== value && rows !== undefined) out.push(...rows);
  return out;
}

function carriesSide(span: CapturedSpan, feature: string): boolean {
  const prefix = groupOf(feature) === 'output' ? ML.outputPrefix : ML.inputPrefix;
  for (const key in span.attributes) if (key.startsWith(prefix)) return true;
  return false;
}

/**
 * Candidates per "slot": each gaining bin (and missing, when wanted), in the order exemplars are
 * preferred — the bin that gained most first, missing first for a feature that went missing.
 */
interface Slots {
  order: (number | null)[];
  found: Map<number | null, Exemplar[]>;
}

function slotsOf(t: ExemplarTarget): Slots {
  const gaining = t.bins
    .map((b, i) => [b.delta, i] as const)
    .filter(([d]) => d > 0)
    .sort((a, b) => b[0] - a[0])
    .map(([, i]) => i);
  const gone = t.flags.some((f) => f.kind === 'feature_missing');
  const order: (number | null)[] = wantsMissing(t) ? (gone ? [null, ...gaining] : [...gaining, null]) : gaining;
  return { order, found: new Map(order.map((k) => [k, []])) };
}

/** Satisfied once the preferred slot alone holds enough. */
const satisfied = (s: Slots, n: number): boolean => (s.found.get(s.order[0]!)?.length ?? 0) >= n;

export async function findExemplars(
  source: WindowSpanSource,
  query: WindowSpanQuery,
  targets: ExemplarTarget[],
  perTarget: number,
  limit: number,
): Promise<void> {
  const open = targets.filter((t) => canHaveExemplars(t)).map((t) => ({ t, slots: slotsOf(t) }));
  if (perTarget <= 0 || open.length === 0) return;
  let remaining = open.length;
  await source.scanModelSpans(query, limit, (span: CapturedSpan) => {
    const requestId = span.attributes[ML.requestId];
    if (typeof requestId !== 'string' || requestId === '') return true;
    const slicesByKey = new Map<string, Map<SliceValue, number[] | undefined>>();
    for (const { t, slots } of open) {
      if (satisfied(slots, perTarget)) continue;
      let rows: number[] | undefined;
      if (t.slice !== undefined) {
        let slices = slicesByKey.get(t.slice.key);
        if (slices === undefined) {
          slices = rowSlices(span, t.slice.key);
          slicesByKey.set(t.slice.key, slices);
        }
        rows = sliceRows(slices, t.slice.value, t.slice.exclude === true);
        if (rows !== undefined && rows.length === 0) continue;
      }
      const value = span.attributes[attributeOfFeature(t.feature)];
      // An absent feature is missing only in a span that captured its side (see raw-columns.ts).
      if (value === undefined && (span.attributes[ML.capture] === 'truncated' || !carriesSide(span, t.feature)))
        continue;
      const total = rowCount(span.attributes[ML.batchSize], Array.isArray(value) ? value.length : undefined);
      const candidates = rows ?? Array.from({ length: total }, (_, i) => i);
      for (const row of candidates) {
        const cell = cellAt(value, row);
        const bin = matchRow(t, cell);
        const list = bin === undefined ? undefined : slots.found.get(bin);
        if (list === undefined || list.length >= perTarget) continue;
        const time = new Date(Number(span.startNano / 1_000_000n)).toISOString();
        list.push({ requestId, traceId: span.traceId, time, row, value: cell ?? null, bin: bin ?? null });
        if (satisfied(slots, perTarget)) remaining -= 1;
        break; // one exemplar per request and target
      }
    }
    return remaining > 0;
  });
  for (const { t, slots } of open) {
    for (const key of slots.order)
      for (const e of slots.found.get(key)!) if (t.found.length < perTarget) t.found.push(e);
  }
}

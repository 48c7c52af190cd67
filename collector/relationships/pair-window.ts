import { rowSlices, type SliceValue } from '../drift/slices.js';
import type { TimeRange } from '../drift/window-data.js';
import type { WindowSpanSource } from '../drift/window-spans.js';
import type { ModelSpan } from '../storage/span-store.js';
import { forEachPairRow } from './pair-rows.js';
import type { RelationshipStore } from './relationship-store.js';
import { PairSummary } from './summaries/pair-summary.js';

/**
 * The pair summaries of one model over one time window, as drift gathers a window
 * (drift/window-data.ts): whole time buckets from the stored summaries, the parts finer than a
 * bucket from the stored spans' raw values (up to `maxRawSpans`, newest first). Sliced windows are
 * read from raw spans only (a summary does not know its rows' slices).
 */
export interface PairEntry {
  input: string;
  output: string;
  summary: PairSummary;
}

export interface PairWindow {
  pairs: Map<string, PairEntry>;
  summaryRows: number;
  rawSpans: number;
  complete: boolean;
}

export interface PairWindowDeps {
  store: RelationshipStore;
  spans: WindowSpanSource;
  bucketWidthMs: number;
  maxRawSpans: number;
  maxLabels: number;
  /** False when no summaries are written: every window comes from raw spans. */
  summaries: boolean;
}

export interface PairWindowQuery {
  model: string;
  version?: string;
  range: TimeRange;
}

const NS_PER_MS = 1_000_000n;
export const pairKey = (input: string, output: string): string => `${input}\u0000${output}`;

function entry(pairs: Map<string, PairEntry>, input: string, output: string, maxLabels: number): PairEntry {
  const key = pairKey(input, output);
  let e = pairs.get(key);
  if (e === undefined) {
    e = { input, output, summary: new PairSummary(maxLabels) };
    pairs.set(key, e);
  }
  return e;
}

/** Adds a span's rows (all, or the given rows) to a pair map. */
function addSpanRows(
  pairs: Map<string, PairEntry>,
  span: { attributes: ModelSpan['attributes'] },
  maxLabels: number,
  rows?: readonly number[],
): void {
  forEachPairRow(
    span.attributes,
    (input, output, x, y) => entry(pairs, input, output, maxLabels).summary.add(x, y),
    rows,
  );
}

function scanQuery(q: PairWindowQuery, part: TimeRange) {
  return {
    model: q.model,
    ...(q.version === undefined ? {} : { version: q.version }),
    startNano: BigInt(part.startMs) * NS_PER_MS,
    endNano: BigInt(part.endMs) * NS_PER_MS,
  };
}

export async function collectPairs(deps: PairWindowDeps, q: PairWindowQuery): Promise<PairWindow> {
  const { startMs, endMs } = q.range;
  const w = deps.bucketWidthMs;
  const firstWhole = deps.summaries ? Math.ceil(startMs / w) * w : endMs;
  const lastWholeEnd = deps.summaries ? Math.floor(endMs / w) * w : startMs;
  const pairs = new Map<string, PairEntry>();
  let summaryRows = 0;
  if (firstWhole < lastWholeEnd) {
    for (const row of deps.store.read({
      model: q.model,
      ...(q.version === undefined ? {} : { version: q.version }),
      fromMs: firstWhole,
      toMs: lastWholeEnd,
    })) {
      entry(pairs, row.input, row.output, deps.maxLabels).summary.merge(row.summary);
      summaryRows += 1;
    }
  }
  const rawParts: TimeRange[] =
    firstWhole < lastWholeEnd
      ? [
          { startMs, endMs: firstWhole },
          { startMs: lastWholeEnd, endMs },
        ].filter((p) => p.startMs < p.endMs)
      : [{ startMs, endMs }];
  let budget = deps.maxRawSpans;
  let rawSpans = 0;
  let complete = true;
  for (const part of rawParts) {
    const result = await deps.spans.scanModelSpans(scanQuery(q, part), budget, (span) =>
      addSpanRows(pairs, span, deps.maxLabels),
    );
    budget -= result.visited;
    rawSpans += result.visited;
    complete &&= result.complete;
  }
  return { pairs, summaryRows, rawSpans, complete };
}

/** Raw pair summaries per slice value of `key` (a span, resource or feature attribute). */
export async function collectSlicedPairs(
  deps: PairWindowDeps,
  q: PairWindowQuery,
  key: string,
): Promise<{ slices: Map<SliceValue, PairWindow>; complete: boolean }> {
  const slices = new Map<SliceValue, PairWindow>();
  const result = await deps.spans.scanModelSpans(scanQuery(q, q.range), deps.maxRawSpans, (span) => {
    for (const [value, rows] of rowSlices(span, key)) {
      let w = slices.get(value);
      if (w === undefined) {
        w = { pairs: new Map(), summaryRows: 0, rawSpans: 0, complete: true };
        slices.set(value, w);
      }
      w.rawSpans += 1;
      addSpanRows(w.pairs, span, deps.maxLabels, rows);
    }
  });
  return { slices, complete: result.complete };
}

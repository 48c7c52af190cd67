/**
 * Binary encoding of summaries for storage (a SQLite BLOB): protobuf via protobufjs, bucket keys
 * sorted and delta-encoded as zigzag varints, counts as varints, so a summary costs about two to
 * four bytes per non-empty bucket. Format version 1; decode rejects anything else.
 *
 *   Summary            = oneof { NumericSummary numeric = 1; CategoricalSummary categorical = 2 }
 *   NumericSummary     = version, count, missing, min, max, mean, m2, granularity (sint32; absent
 *                        = none), relativeAccuracy, logBinLimit, positive/negative LogStore, zero,
 *                        linearMaxBins, linearExponent, linear key deltas (sint64, keys divided
 *                        by 2^linearKeyShift, their common power of two), linear counts
 *   LogStore           = floor (hasFloor), key deltas (sint32), counts (uint64)
 *   CategoricalSummary = version, maxCategories, missing, other, categories, counts
 */
import protobuf from 'protobufjs';
import { CategoricalSummary } from './categorical-summary.js';
import { LogStore } from './log-histogram.js';
import { NumericSummary } from './numeric-summary.js';

const FORMAT_VERSION = 1;
const packed = { packed: true };

const root = protobuf.Root.fromJSON({
  nested: {
    LogStore: {
      fields: {
        hasFloor: { type: 'bool', id: 1 },
        floor: { type: 'sint32', id: 2 },
        keyDeltas: { rule: 'repeated', type: 'sint32', id: 3, options: packed },
        counts: { rule: 'repeated', type: 'uint64', id: 4, options: packed },
      },
    },
    NumericSummary: {
      fields: {
        version: { type: 'uint32', id: 1 },
        count: { type: 'uint64', id: 2 },
        missing: { type: 'uint64', id: 3 },
        min: { type: 'double', id: 4 },
        max: { type: 'double', id: 5 },
        mean: { type: 'double', id: 6 },
        m2: { type: 'double', id: 7 },
        hasGranularity: { type: 'bool', id: 8 },
        granularity: { type: 'sint32', id: 9 },
        relativeAccuracy: { type: 'double', id: 10 },
        logBinLimit: { type: 'uint32', id: 11 },
        positive: { type: 'LogStore', id: 12 },
        negative: { type: 'LogStore', id: 13 },
        zero: { type: 'uint64', id: 14 },
        linearMaxBins: { type: 'uint32', id: 15 },
        linearExponent: { type: 'sint32', id: 16 },
        linearKeyDeltas: { rule: 'repeated', type: 'sint64', id: 17, options: packed },
        linearCounts: { rule: 'repeated', type: 'uint64', id: 18, options: packed },
        linearKeyShift: { type: 'uint32', id: 19 },
      },
    },
    CategoricalSummary: {
      fields: {
        version: { type: 'uint32', id: 1 },
        maxCategories: { type: 'uint32', id: 2 },
        missing: { type: 'uint64', id: 3 },
        other: { type: 'uint64', id: 4 },
        categories: { rule: 'repeated', type: 'string', id: 5 },
        counts: { rule: 'repeated', type: 'uint64', id: 6, options: packed },
      },
    },
    Summary: {
      oneofs: { kind: { oneof: ['numeric', 'categorical'] } },
      fields: {
        numeric: { type: 'NumericSummary', id: 1 },
        categorical: { type: 'CategoricalSummary', id: 2 },
      },
    },
  },
});
const SummaryType = root.lookupType('Summary');
const toObjectOptions = { longs: Number, defaults: true, arrays: true } as const;

export type Summary = NumericSummary | CategoricalSummary;

export function encodeSummary(summary: Summary): Uint8Array {
  const message =
    summary instanceof NumericSummary
      ? { numeric: numericMessage(summary) }
      : { categorical: categoricalMessage(summary) };
  return SummaryType.encode(SummaryType.fromObject(message)).finish();
}

export function decodeSummary(bytes: Uint8Array): Summary {
  const message = SummaryType.toObject(SummaryType.decode(bytes), toObjectOptions) as {
    numeric?: NumericMessage;
    categorical?: CategoricalMessage;
  };
  if (message.numeric && message.numeric.version !== 0) return numericFrom(message.numeric);
  if (message.categorical && message.categorical.version !== 0) return categoricalFrom(message.categorical);
  throw new RangeError('not an encoded summary');
}

interface StoreMessage {
  hasFloor: boolean;
  floor: number;
  keyDeltas: number[];
  counts: number[];
}
interface NumericMessage {
  version: number;
  count: number;
  missing: number;
  min: number;
  max: number;
  mean: number;
  m2: number;
  hasGranularity: boolean;
  granularity: number;
  relativeAccuracy: number;
  logBinLimit: number;
  positive: StoreMessage;
  negative: StoreMessage;
  zero: number;
  linearMaxBins: number;
  linearExponent: number;
  linearKeyDeltas: number[];
  linearCounts: number[];
  linearKeyShift: number;
}
interface CategoricalMessage {
  version: number;
  maxCategories: number;
  missing: number;
  other: number;
  categories: string[];
  counts: number[];
}

function sortedDeltas(map: Map<number, number>): { keyDeltas: number[]; counts: number[] } {
  const keys = [...map.keys()].sort((a, b) => a - b);
  return { keyDeltas: keys.map((k, i) => (i === 0 ? k : k - keys[i - 1]!)), counts: keys.map((k) => map.get(k)!) };
}

function undelta(deltas: number[], counts: number[]): Map<number, number> {
  const map = new Map<number, number>();
  let key = 0;
  deltas.forEach((d, i) => {
    key = i === 0 ? d : key + d;
    map.set(key, counts[i] ?? 0);
  });
  return map;
}

function storeMessage(store: LogStore): StoreMessage {
  return { hasFloor: store.floor !== null, floor: store.floor ?? 0, ...sortedDeltas(store.counts) };
}

function restoreStore(store: LogStore, m: StoreMessage): void {
  store.counts = undelta(m.keyDeltas, m.counts);
  store.floor = m.hasFloor ? m.floor : null;
  const keys = [...store.counts.keys()];
  store.minKey = keys.length > 0 ? Math.min(...keys) : Infinity;
  store.maxKey = keys.length > 0 ? Math.max(...keys) : -Infinity;
}

/**
 * Linear keys of lattice data (integers at a fine width) are all multiples of a large power of two;
 * dividing that out keeps their deltas to a byte or two.
 */
function commonShift(keys: Iterable<number>): number {
  let shift = 52;
  for (const k of keys) {
    let z = 0;
    let v = Math.abs(k);
    if (v === 0) continue;
    while (z < shift && v % 2 === 0) {
      v /= 2;
      z++;
    }
    shift = z;
    if (shift === 0) break;
  }
  return shift;
}

function scaleKeys(map: Map<number, number>, factor: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const [k, c] of map) out.set(k * factor, c);
  return out;
}

function numericMessage(s: NumericSummary): NumericMessage {
  const shift = commonShift(s.linear.counts.keys());
  const linear = sortedDeltas(scaleKeys(s.linear.counts, Math.pow(2, -shift)));
  return {
    version: FORMAT_VERSION,
    count: s.count,
    missing: s.missing,
    min: s.min,
    max: s.max,
    mean: s.mean,
    m2: s.m2,
    hasGranularity: Number.isFinite(s.granularity),
    granularity: Number.isFinite(s.granularity) ? s.granularity : 0,
    relativeAccuracy: s.log.relativeAccuracy,
    logBinLimit: s.log.binLimit,
    positive: storeMessage(s.log.positive),
    negative: storeMessage(s.log.negative),
    zero: s.log.zero,
    linearMaxBins: s.linear.maxBins,
    linearExponent: s.linear.exponent,
    linearKeyDeltas: linear.keyDeltas,
    linearCounts: linear.counts,
    linearKeyShift: shift,
  };
}

function numericFrom(m: NumericMessage): NumericSummary {
  if (m.version !== FORMAT_VERSION) throw new RangeError(`unsupported numeric summary version ${m.version}`);
  const s = new NumericSummary({
    relativeAccuracy: m.relativeAccuracy,
    logBinLimit: m.logBinLimit,
    linearMaxBins: m.linearMaxBins,
  });
  s.count = m.count;
  s.missing = m.missing;
  s.min = m.count > 0 ? m.min : Infinity;
  s.max = m.count > 0 ? m.max : -Infinity;
  s.mean = m.mean;
  s.m2 = m.m2;
  s.granularity = m.hasGranularity ? m.granularity : Infinity;
  restoreStore(s.log.positive, m.positive);
  restoreStore(s.log.negative, m.negative);
  s.log.zero = m.zero;
  s.linear.exponent = m.linearExponent;
  s.linear.counts = scaleKeys(undelta(m.linearKeyDeltas, m.linearCounts), Math.pow(2, m.linearKeyShift));
  return s;
}

function categoricalMessage(s: CategoricalSummary): CategoricalMessage {
  const entries = [...s.counts.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return {
    version: FORMAT_VERSION,
    maxCategories: s.maxCategories,
    missing: s.missing,
    other: s.other,
    categories: entries.map((e) => e[0]),
    counts: entries.map((e) => e[1]),
  };
}

function categoricalFrom(m: CategoricalMessage): CategoricalSummary {
  if (m.version !== FORMAT_VERSION) throw new RangeError(`unsupported categorical summary version ${m.version}`);
  const s = new CategoricalSummary({ maxCategories: m.maxCategories });
  m.categories.forEach((c, i) => s.counts.set(c, m.counts[i] ?? 0));
  s.other = m.other;
  s.missing = m.missing;
  return s;
}

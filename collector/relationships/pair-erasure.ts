import type { SpanRecord } from '../../shared/span-record.js';
import { modelOf } from '../drift/captured-span.js';
import { forEachPairRow } from './pair-rows.js';
import type { PairRemoval } from './relationship-store.js';

/**
 * Erasure of a data subject from the relationship summaries (pure): the rows each of their SERVER
 * spans added, per stored summary key — the same enumeration the listener used (pair-rows.ts), so
 * taking them out is the exact inverse of adding them.
 */
export function pairRemovalsOf(spans: readonly SpanRecord[], bucketWidthMs: number): PairRemoval[] {
  const out = new Map<string, PairRemoval>();
  for (const span of spans) {
    if (span.kind !== 'SERVER') continue;
    const { model, version } = modelOf(span);
    const bucketMs = Math.floor(Number(span.startTimeUnixNano / 1_000_000n) / bucketWidthMs) * bucketWidthMs;
    forEachPairRow(span.attributes, (input, output, x, y) => {
      const key = [model, version, bucketMs, input, output].join('\u0000');
      let r = out.get(key);
      if (r === undefined) {
        r = { model, version, bucketMs, input, output, rows: [] };
        out.set(key, r);
      }
      r.rows.push([x, y]);
    });
  }
  return [...out.values()];
}

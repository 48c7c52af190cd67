import { ML } from '../../shared/attribute-keys.js';
import type { Cell } from '../drift/cells.js';
import type { WindowSpanQuery, WindowSpanSource } from '../drift/window-spans.js';
import { forEachPairRow } from './pair-rows.js';
import type { AlignedTables } from './report/aligned-tables.js';
import type { PairComparisonJson } from './report/pair-comparison.js';
import type { PairSummary } from './summaries/pair-summary.js';

/**
 * Exemplar requests behind a flagged pair, from one scan of the current window:
 * - joint pairs: requests with a row in one of the cells that gained most share (where the
 *   joint mass moved), newest first;
 * - number pairs: the rows that pull r furthest towards its new value — the largest
 *   sign(Δr) · z_x · z_y, standardised by the reference's means and deviations.
 */
export interface RelationshipExemplar {
  requestId: string;
  traceId: string;
  time: string;
  row: number;
  input: Cell;
  output: Cell;
  /** Joint pairs: index into the pair's movedCells. */
  cell?: number;
  /** Number pairs: the row's pull, sign(Δr) · z_x · z_y. */
  score?: number;
}

export interface ExemplarTarget {
  json: PairComparisonJson & { exemplars: RelationshipExemplar[] };
  tables?: AlignedTables;
  reference?: PairSummary;
}

type Matcher = (x: Cell, y: Cell) => { cell?: number; score?: number } | undefined;

function matcher(t: ExemplarTarget): Matcher | undefined {
  const j = t.json;
  if (j.kind === 'joint' && t.tables !== undefined) {
    const tables = t.tables;
    const gaining = j.movedCells
      .map((c, i) => ({
        i,
        row: tables.rows.names.indexOf(c.input),
        col: tables.columns.names.indexOf(c.output),
        delta: c.delta,
      }))
      .filter((c) => c.delta > 0);
    if (gaining.length === 0) return undefined;
    return (x, y) => {
      if (x === null || y === null) return undefined;
      const row = tables.rows.groupOfValue(x);
      const col = tables.columns.groupOfValue(y);
      const hit = gaining.find((c) => c.row === row && c.col === col);
      return hit === undefined ? undefined : { cell: hit.i };
    };
  }
  const m = t.reference?.moments;
  if (m === undefined || m.count < 2 || !(m.m2x > 0) || !(m.m2y > 0) || j.change === null || j.change === 0)
    return undefined;
  const sx = Math.sqrt(m.m2x / m.count);
  const sy = Math.sqrt(m.m2y / m.count);
  const sign = Math.sign(j.change);
  return (x, y) =>
    typeof x === 'number' && typeof y === 'number'
      ? { score: (sign * (x - m.meanX) * (y - m.meanY)) / (sx * sy) }
      : undefined;
}

export async function findRelationshipExemplars(
  spans: WindowSpanSource,
  q: WindowSpanQuery,
  targets: ExemplarTarget[],
  perPair: number,
  limit: number,
): Promise<void> {
  if (perPair <= 0) return;
  const active = targets
    .map((t) => ({ t, match: matcher(t), found: [] as RelationshipExemplar[] }))
    .filter((a) => a.match !== undefined);
  if (active.length === 0) return;
  const byPair = new Map(active.map((a) => [`${a.t.json.input}\u0000${a.t.json.output}`, a]));
  await spans.scanModelSpans(q, limit, (span) => {
    const requestId = span.attributes[ML.requestId];
    if (typeof requestId !== 'string') return;
    forEachPairRow(span.attributes, (input, output, x, y, row) => {
      const key = `${input}\u0000${output}`;
      const a = byPair.get(key);
      const hit = a?.match!(x, y);
      if (a === undefined || hit === undefined) return;
      if (hit.cell !== undefined && a.found.length >= perPair) return;
      a.found.push({
        requestId,
        traceId: span.traceId,
        time: new Date(Number(span.startNano / 1_000_000n)).toISOString(),
        row,
        input: x,
        output: y,
        ...hit,
      });
      // Number pairs keep the strongest rows only.
      if (hit.score !== undefined && a.found.length > perPair) {
        a.found.sort((p, r) => r.score! - p.score!);
        a.found.length = perPair;
      }
    });
  });
  for (const a of active) {
    a.found.sort((p, r) => (r.score ?? 0) - (p.score ?? 0));
    a.t.json.exemplars.push(...a.found.filter((e) => e.score === undefined || e.score > 0));
  }
}

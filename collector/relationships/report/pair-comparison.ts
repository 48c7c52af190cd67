import { association } from '../statistics/association.js';
import { fisherZTest } from '../statistics/fisher-z.js';
import { jointChiSquare } from '../statistics/joint-change.js';
import { PairSummary } from '../summaries/pair-summary.js';
import { alignTables, type AlignedTables } from './aligned-tables.js';

/**
 * One (input, output) pair, reference against current (pure). Number pairs: Pearson's r on each
 * side, the change r_current − r_reference, and Fisher's z-test of it. Pairs with a category on
 * either side: mutual information (nats; bits too) and Cramér's V of each side's joint table, the
 * change in mutual information, and the chi-square test of the two joint tables. Flagged when the
 * test's p-value is below `alpha` (default 0.05). The kind follows the current window's rows
 * (the reference's when the current has none).
 */
export const DEFAULT_ALPHA = 0.05;
/** Moved cells reported per joint pair. */
const TOP_CELLS = 5;

interface PairSideJson {
  count: number;
  missing: number;
  value: number | null;
  /** Joint pairs. */
  mutualInformationBits?: number | null;
  cramersV?: number | null;
}

interface MovedCell {
  input: string;
  output: string;
  referenceShare: number;
  currentShare: number;
  delta: number;
}

export interface PairComparisonJson {
  input: string;
  output: string;
  kind: 'numeric' | 'joint';
  measure: 'pearson_r' | 'mutual_information';
  current: PairSideJson;
  reference: PairSideJson;
  change: number | null;
  test: { method: 'fisher_z' | 'chi_square'; statistic: number | null; pValue: number | null; dof?: number };
  flagged: boolean;
  movedCells: MovedCell[];
}

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

export interface PairComparison {
  json: PairComparisonJson;
  /** Joint pairs: the aligned tables, for the exemplar search. */
  tables?: AlignedTables;
}

export function comparePair(
  input: string,
  output: string,
  reference: PairSummary | undefined,
  current: PairSummary | undefined,
  alpha = DEFAULT_ALPHA,
): PairComparison {
  const ref = reference ?? new PairSummary();
  const cur = current ?? new PairSummary();
  const kind = (cur.count > 0 ? cur : ref).kind;
  if (kind === 'numeric') {
    const r1 = ref.moments.pearson();
    const r2 = cur.moments.pearson();
    const t = fisherZTest(r1, ref.moments.count, r2, cur.moments.count);
    return {
      json: {
        input,
        output,
        kind,
        measure: 'pearson_r',
        current: { count: cur.moments.count, missing: cur.missing, value: finite(r2) },
        reference: { count: ref.moments.count, missing: ref.missing, value: finite(r1) },
        change: finite(r2 - r1),
        test: { method: 'fisher_z', statistic: finite(t.z), pValue: finite(t.pValue) },
        flagged: t.pValue < alpha,
        movedCells: [],
      },
    };
  }
  const tables = alignTables(ref.joint, cur.joint);
  const a1 = association(tables.reference);
  const a2 = association(tables.current);
  const test =
    ref.joint.total > 0 && cur.joint.total > 0 ? jointChiSquare(tables.reference, tables.current) : undefined;
  const side = (s: PairSummary, a: ReturnType<typeof association>): PairSideJson => ({
    count: s.joint.total,
    missing: s.missing,
    value: finite(a.mutualInformation),
    mutualInformationBits: finite(a.mutualInformationBits),
    cramersV: finite(a.cramersV),
  });
  return {
    json: {
      input,
      output,
      kind,
      measure: 'mutual_information',
      current: side(cur, a2),
      reference: side(ref, a1),
      change: finite(a2.mutualInformation - a1.mutualInformation),
      test: {
        method: 'chi_square',
        statistic: test ? test.statistic : null,
        pValue: test ? test.pValue : null,
        ...(test ? { dof: test.dof } : {}),
      },
      flagged: test !== undefined && test.dof > 0 && test.pValue < alpha,
      movedCells: movedCells(tables),
    },
    tables,
  };
}

function movedCells(t: AlignedTables): MovedCell[] {
  const total = (m: number[][]): number => m.reduce((s, row) => s + row.reduce((a, b) => a + b, 0), 0);
  const rt = total(t.reference) || 1;
  const ct = total(t.current) || 1;
  const cells: MovedCell[] = [];
  t.rows.names.forEach((input, i) => {
    t.columns.names.forEach((output, j) => {
      const r = t.reference[i]![j]! / rt;
      const c = t.current[i]![j]! / ct;
      if (r > 0 || c > 0) cells.push({ input, output, referenceShare: r, currentShare: c, delta: c - r });
    });
  });
  return cells.sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta)).slice(0, TOP_CELLS);
}

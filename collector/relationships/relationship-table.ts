import type { PairJson, RelationshipAnswer } from './relationship-service.js';

/**
 * `GET /api/relationships`' answer as text for the terminal (pure): a header, one row per pair —
 * input, output, measure, reference, current, change, test, p-value, flagged, rows — then the
 * exemplar requests behind flagged pairs, the slices the same way, and notes.
 */
const num = (v: number | null | undefined): string => {
  if (v === null || v === undefined || Number.isNaN(v)) return '-';
  if (v !== 0 && (Math.abs(v) < 1e-4 || Math.abs(v) >= 1e6)) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
};
const iso = (ms: number | null | undefined): string =>
  ms === null || ms === undefined ? '?' : new Date(ms).toISOString().replace('.000Z', 'Z');

const COLUMNS = [
  'input',
  'output',
  'measure',
  'reference',
  'current',
  'change',
  'test',
  'p-value',
  'flagged',
  'rows (ref/cur)',
];

function row(p: PairJson): string[] {
  return [
    p.input,
    p.output,
    p.measure === 'pearson_r' ? 'r' : 'MI (nats)',
    num(p.reference.value),
    num(p.current.value),
    num(p.change),
    p.test.method,
    num(p.test.pValue),
    p.flagged ? 'YES' : 'no',
    `${p.reference.count}/${p.current.count}`,
  ];
}

function table(rows: string[][]): string {
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(COLUMNS), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function exemplarLines(pairs: PairJson[]): string[] {
  const out: string[] = [];
  for (const p of pairs) {
    for (const e of p.exemplars) {
      const where =
        e.cell !== undefined
          ? ` in cell ${p.movedCells[e.cell]!.input} × ${p.movedCells[e.cell]!.output}`
          : ` (pull ${num(e.score)})`;
      out.push(
        `  ${p.input} → ${p.output}: request ${e.requestId} (trace ${e.traceId}) ${JSON.stringify(e.input)} → ${JSON.stringify(e.output)}${where}${e.row > 0 ? `, row ${e.row}` : ''}`,
      );
    }
  }
  return out.length > 0 ? ['exemplars (open with: infertrace trace <request id>):', ...out] : [];
}

export function renderRelationships(a: RelationshipAnswer): string {
  const ref = a.reference;
  const refText =
    ref.kind === 'slice'
      ? `slice ${a.slices?.key ?? ''} = ${String(ref.value)}`
      : `${ref.kind} ${iso(ref.start)} – ${iso(ref.end)}`;
  const lines = [
    `model ${a.model}${a.version === null ? ' (all versions)' : ` version ${a.version}`}`,
    `window ${iso(a.window.start)} – ${iso(a.window.end)}; reference ${refText}${ref.from === 'stored' ? " (the model's default)" : ''}`,
    `relationship drift: ${a.flagged} of ${a.pairs.length} pairs flagged (Fisher z for r, chi-square for joint tables; p < ${a.threshold.pValue})`,
    '',
    table(a.pairs.map(row)),
    ...exemplarLines(a.pairs),
  ];
  for (const s of a.slices?.values ?? []) {
    lines.push(
      '',
      `slice ${a.slices!.key} = ${s.value === null ? '(absent)' : s.value}: ${s.flagged} of ${s.pairs.length} pairs flagged`,
      table(s.pairs.map(row)),
    );
  }
  if (a.notes.length > 0) lines.push('', ...a.notes.map((n) => `note: ${n}`));
  return `${lines.join('\n')}\n`;
}

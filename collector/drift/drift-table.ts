import type { DriftFlag } from './report/drift-flags.js';
import type { MovedBin } from './report/moved-bins.js';
import type { DriftAnswer, FeatureJson, ReportJson } from './drift-json.js';

/**
 * `GET /api/drift`'s answer as text for the terminal (pure): a header (model, window, reference,
 * dataset drift), one row per feature — feature, type, method, statistic, p-value, threshold,
 * drifted, flags, top moved bins — then exemplar requests, the slices the same way, and notes.
 */
const num = (v: number | null | undefined): string => {
  if (v === null || v === undefined || Number.isNaN(v)) return '-';
  if (v !== 0 && (Math.abs(v) < 1e-4 || Math.abs(v) >= 1e6)) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
};

const iso = (ms: number | null | undefined): string =>
  ms === null || ms === undefined ? '?' : new Date(ms).toISOString().replace('.000Z', 'Z');

export function binText(b: MovedBin): string {
  const delta = `${b.delta > 0 ? '+' : ''}${(b.delta * 100).toFixed(1)}pp`;
  if (b.kind === 'category') return `${JSON.stringify(b.category)} ${delta}`;
  const lower = b.lower === null ? '(-inf' : `${b.includesLower ? '[' : '('}${num(b.lower)}`;
  const upper = b.upper === null ? '+inf)' : `${num(b.upper)}${b.includesUpper ? ']' : ')'}`;
  return `${lower}, ${upper} ${delta}`;
}

export function flagText(f: DriftFlag): string {
  switch (f.kind) {
    case 'type_changed':
      return `type_changed(${f.reference}→${f.current})`;
    case 'new_category':
      return `new_category(${f.categories.slice(0, 3).join(',')}${f.categories.length > 3 ? ',…' : ''})`;
    case 'missing_rate_changed':
      return `missing_rate_changed(${num(f.reference)}→${num(f.current)})`;
    default:
      return f.kind;
  }
}

const COLUMNS = ['feature', 'type', 'method', 'statistic', 'p-value', 'threshold', 'drifted', 'flags', 'top bins'];

function row(f: FeatureJson): string[] {
  return [
    f.name,
    f.type,
    f.method ?? '-',
    num(f.statistic),
    num(f.pValue),
    num(f.threshold),
    f.drifted ? 'YES' : f.evaluated ? 'no' : '-',
    f.flags.map(flagText).join(' ') || '-',
    f.topMovedBins.map(binText).join('; ') || '-',
  ];
}

function renderTable(rows: string[][]): string {
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(COLUMNS), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function datasetLine(r: ReportJson, threshold: number): string {
  const verdict = r.datasetDrift ? 'YES' : 'no';
  return `dataset drift: ${verdict} (${r.driftedCount} of ${r.evaluatedCount} evaluated features drifted, share ${num(r.driftedShare)}; threshold ${num(threshold)})`;
}

function exemplarLines(features: FeatureJson[], indent: string): string[] {
  const out: string[] = [];
  for (const f of features) {
    for (const e of f.exemplars) {
      const bin = e.bin === null ? 'missing' : binText(f.topMovedBins[e.bin]!).replace(/ [+-][\d.]+pp$/, '');
      out.push(
        `${indent}${f.name}: request ${e.requestId} (trace ${e.traceId}) value ${JSON.stringify(e.value)} in ${bin}${e.row > 0 ? `, row ${e.row}` : ''}`,
      );
    }
  }
  return out.length > 0 ? [`${indent.slice(2)}exemplars (open with: infertrace trace <request id>):`, ...out] : [];
}

export function renderDrift(a: DriftAnswer): string {
  const ref = a.reference;
  const refText =
    ref.kind === 'training'
      ? `training profile${ref.version ? ` of version ${ref.version}` : ''} uploaded ${ref.uploadedAt ?? '?'}`
      : ref.kind === 'slice'
        ? `slice ${a.slices?.key ?? ''} = ${String(ref.value)}`
        : `${ref.kind} ${iso(ref.start)} – ${iso(ref.end)}`;
  const lines = [
    `model ${a.model}${a.version === null ? ' (all versions)' : ` version ${a.version}`}`,
    `window ${iso(a.window.start)} – ${iso(a.window.end)}: ${a.data.current.observations} observations`,
    `reference ${refText}${ref.from === 'stored' ? " (the model's default)" : ''}: ${a.data.reference.observations} observations`,
    datasetLine(a, a.driftShareThreshold),
    '',
    renderTable(a.features.map(row)),
    ...exemplarLines(a.features, '  '),
  ];
  for (const s of a.slices?.values ?? []) {
    lines.push(
      '',
      `slice ${a.slices!.key} = ${s.value === null ? '(absent)' : s.value}: ${s.observations} observations, reference ${s.referenceObservations}`,
    );
    lines.push(
      datasetLine(s, a.driftShareThreshold),
      renderTable(s.features.map(row)),
      ...exemplarLines(s.features, '  '),
    );
  }
  if (a.slices !== undefined && a.slices.omitted > 0) lines.push('', `${a.slices.omitted} smaller slices not shown`);
  if (a.notes.length > 0) lines.push('', ...a.notes.map((n) => `note: ${n}`));
  return `${lines.join('\n')}\n`;
}

import type { ExpositionFormat } from './content-negotiation.js';
import type { Labels, MetricExemplar, MetricFamily } from './metric-family.js';

/**
 * Writes metric families as Prometheus text 0.0.4 or OpenMetrics 1.0 text. The differences that
 * matter: OpenMetrics names a counter family without `_total`, orders TYPE/UNIT/HELP, escapes `"`
 * in HELP, carries exemplars, and ends with `# EOF`; text 0.0.4 has no exemplars.
 */

/** Label values: backslash, double quote and line feed are escaped (both formats). */
export function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(v: string, format: ExpositionFormat): string {
  const s = v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
  return format === 'openmetrics' ? s.replace(/"/g, '\\"') : s;
}

/** Names that break the grammar are repaired rather than rejected, so one bad source cannot break a scrape. */
export function sanitiseMetricName(name: string): string {
  const s = name.replace(/[^a-zA-Z0-9_:]/g, '_');
  return /^[a-zA-Z_:]/.test(s) ? s : `_${s}`;
}

function sanitiseLabelName(name: string): string {
  const s = name.replace(/[^a-zA-Z0-9_]/g, '_');
  return /^[a-zA-Z_]/.test(s) ? s : `_${s}`;
}

function formatNumber(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

// OpenMetrics asks for `le` values in a canonical float form, so 1 is written 1.0.
function formatLe(le: number, format: ExpositionFormat): string {
  const s = formatNumber(le);
  return format === 'openmetrics' && Number.isInteger(le) ? `${s}.0` : s;
}

function labelText(labels: Labels, extra?: [string, string]): string {
  const parts = Object.entries(labels).map(([k, v]) => `${sanitiseLabelName(k)}="${escapeLabelValue(v)}"`);
  if (extra) parts.push(`${extra[0]}="${escapeLabelValue(extra[1])}"`);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

const EXEMPLAR_LABEL_LIMIT = 128;

function exemplarText(e: MetricExemplar | undefined, format: ExpositionFormat): string {
  if (e === undefined || format !== 'openmetrics') return '';
  const size = Object.entries(e.labels).reduce((n, [k, v]) => n + [...k].length + [...v].length, 0);
  if (size > EXEMPLAR_LABEL_LIMIT) return '';
  const ts = e.timestampSeconds === undefined ? '' : ` ${formatNumber(e.timestampSeconds)}`;
  return ` # ${labelText(e.labels) || '{}'} ${formatNumber(e.value)}${ts}`;
}

function header(out: string[], family: MetricFamily, name: string, format: ExpositionFormat): void {
  const help = escapeHelp(family.help, format);
  if (format === 'openmetrics') {
    out.push(`# TYPE ${name} ${family.type}`);
    if (family.unit) out.push(`# UNIT ${name} ${family.unit}`);
    out.push(`# HELP ${name} ${help}`);
  } else {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${family.type}`);
  }
}

function renderFamily(out: string[], family: MetricFamily, format: ExpositionFormat): void {
  const name = sanitiseMetricName(family.name);
  switch (family.type) {
    case 'counter': {
      const base = name.replace(/_total$/, '');
      header(out, family, format === 'openmetrics' ? base : `${base}_total`, format);
      for (const s of family.samples) {
        out.push(`${base}_total${labelText(s.labels)} ${formatNumber(s.value)}${exemplarText(s.exemplar, format)}`);
      }
      return;
    }
    case 'gauge':
      header(out, family, name, format);
      for (const s of family.samples) out.push(`${name}${labelText(s.labels)} ${formatNumber(s.value)}`);
      return;
    case 'histogram':
      header(out, family, name, format);
      for (const s of family.samples) {
        for (const b of s.buckets) {
          const labels = labelText(s.labels, ['le', formatLe(b.le, format)]);
          out.push(`${name}_bucket${labels} ${formatNumber(b.count)}${exemplarText(b.exemplar, format)}`);
        }
        const inf = labelText(s.labels, ['le', '+Inf']);
        out.push(`${name}_bucket${inf} ${formatNumber(s.count)}${exemplarText(s.infExemplar, format)}`);
        out.push(`${name}_sum${labelText(s.labels)} ${formatNumber(s.sum)}`);
        out.push(`${name}_count${labelText(s.labels)} ${formatNumber(s.count)}`);
      }
      return;
  }
}

export function renderExposition(families: readonly MetricFamily[], format: ExpositionFormat): string {
  const out: string[] = [];
  for (const f of families) renderFamily(out, f, format);
  if (format === 'openmetrics') out.push('# EOF');
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

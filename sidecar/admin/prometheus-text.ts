/**
 * The Prometheus text exposition format (version 0.0.4), just what the sidecar needs: counters,
 * gauges and histograms with labels. Pure; one family per call.
 */
export type Labels = Record<string, string>;

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function labelText(labels: Labels): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

function num(n: number): string {
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  return Number.isNaN(n) ? 'NaN' : String(n);
}

export function family(
  name: string,
  type: 'counter' | 'gauge',
  help: string,
  samples: ReadonlyArray<{ labels?: Labels; value: number }>,
): string {
  const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`];
  for (const s of samples) lines.push(`${name}${labelText(s.labels ?? {})} ${num(s.value)}`);
  return lines.join('\n');
}

export interface HistogramSeries {
  labels: Labels;
  /** Upper bounds, ascending, without +Inf. */
  bounds: readonly number[];
  /** Non-cumulative count per bound, plus one last entry for +Inf. */
  counts: readonly number[];
  sum: number;
}

export function histogram(name: string, help: string, series: readonly HistogramSeries[]): string {
  const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} histogram`];
  for (const s of series) {
    let cumulative = 0;
    s.bounds.forEach((b, i) => {
      cumulative += s.counts[i] ?? 0;
      lines.push(`${name}_bucket${labelText({ ...s.labels, le: num(b) })} ${cumulative}`);
    });
    cumulative += s.counts[s.bounds.length] ?? 0;
    lines.push(`${name}_bucket${labelText({ ...s.labels, le: '+Inf' })} ${cumulative}`);
    lines.push(`${name}_sum${labelText(s.labels)} ${num(s.sum)}`);
    lines.push(`${name}_count${labelText(s.labels)} ${cumulative}`);
  }
  return lines.join('\n');
}

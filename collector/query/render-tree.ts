import type { AttributeValue } from '../../shared/span-record.js';
import type { RequestJson, SpanJson, TraceJson } from './trace-json.js';

/**
 * The query API's JSON as a call tree for the terminal (what `infertrace trace` prints). Pure.
 *
 *   trace 4bf9…4736 · 2024-05-01T12:00:00.000Z · 20.5ms · 3 spans · 1 service · 1 error
 *   iris-sidecar  POST /v2/models/{model}/infer  [SERVER]  20.5ms  at +0µs  ✗ ERROR: upstream answered 500
 *   │  ml.request.id = req-1
 *   └─ iris-sidecar  POST  [CLIENT]  18ms  at +1ms
 *
 * Each span line: service, operation, kind, duration, offset from the trace's start, status (only
 * OK and ERROR are shown; ERROR is marked ✗), ⚠ when assembly warned about it. Below it, the
 * span's captured `ml.*` attributes, values longer than the limit cut short. The trace's warnings
 * follow the tree.
 */
export interface RenderOptions {
  /** Longest attribute value shown before it is cut (default 160 characters). */
  maxValueLength?: number;
}

const MAX_INDENT = 24;
const ML_ORDER = [
  'ml.request.id',
  'ml.model.name',
  'ml.model.version',
  'ml.protocol',
  'ml.batch.size',
  'ml.capture',
  'ml.capture.reason',
  'ml.privacy.redacted',
];

export function renderTrace(trace: TraceJson, options: RenderOptions = {}): string {
  const max = options.maxValueLength ?? 160;
  const lines: string[] = [header(trace)];
  if (trace.requestIds.length > 0)
    lines.push(`request id${trace.requestIds.length > 1 ? 's' : ''}: ${trace.requestIds.join(', ')}`);
  lines.push('');

  const spans = trace.spans;
  // Whether each span is the last of its siblings, from the depths of the pre-order list.
  const last: boolean[] = new Array<boolean>(spans.length).fill(true);
  const latestAt: number[] = []; // per depth: the latest span seen there under the current parent
  spans.forEach((s, i) => {
    latestAt.length = Math.min(latestAt.length, s.depth + 1);
    const previous = latestAt[s.depth];
    if (previous !== undefined) last[previous] = false;
    latestAt[s.depth] = i;
  });

  // Indentation stops growing at MAX_INDENT levels (a recursion thousands deep stays readable);
  // deeper lines say their depth instead.
  const rails = (flags: boolean[]): string => {
    const drawn = flags
      .slice(1, MAX_INDENT)
      .map((c) => (c ? '│  ' : '   '))
      .join('');
    return flags.length > MAX_INDENT ? `${drawn}⋯depth ${flags.length}⋯ ` : drawn;
  };
  const continues: boolean[] = []; // per depth: does the ancestor there have later siblings?
  spans.forEach((s, i) => {
    continues.length = s.depth;
    const branch = s.depth === 0 ? '' : last[i] ? '└─ ' : '├─ ';
    lines.push(`${rails(continues)}${branch}${spanLine(s)}`);
    continues.push(!(last[i] ?? true));
    const hasChildren = (spans[i + 1]?.depth ?? -1) > s.depth;
    const detailRails = `${rails(continues)}${hasChildren ? '│  ' : '   '}`;
    for (const line of attributeLines(s, max)) lines.push(`${detailRails}${line}`);
  });

  if (trace.warnings.length > 0) {
    lines.push('', `warnings (${trace.warnings.length}):`);
    for (const w of trace.warnings) lines.push(`  ⚠ ${w}`);
  }
  return `${lines.join('\n')}\n`;
}

export function renderRequest(answer: RequestJson, options: RenderOptions = {}): string {
  const shown = answer.traces.length;
  const more = answer.totalTraces > shown ? ` (the ${shown} most recent of ${answer.totalTraces})` : '';
  const head = `request ${answer.requestId}: ${answer.totalTraces} trace${answer.totalTraces === 1 ? '' : 's'}${more}\n\n`;
  return head + answer.traces.map((t) => renderTrace(t, options)).join('\n');
}

function header(t: TraceJson): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return [
    `trace ${t.traceId}`,
    t.startTime,
    formatMicros(t.durationMicros),
    plural(t.spanCount, 'span'),
    plural(t.services.length, 'service'),
    plural(t.errorCount, 'error'),
  ].join(' · ');
}

function spanLine(s: SpanJson): string {
  const parts = [
    s.serviceName,
    s.name === '' ? '(unnamed)' : s.name,
    `[${s.kind}]`,
    formatMicros(s.durationMicros),
    `at +${formatMicros(s.offsetMicros)}`,
  ];
  if (s.status.code === 'ERROR') parts.push(`✗ ERROR${s.status.message === '' ? '' : `: ${s.status.message}`}`);
  else if (s.status.code === 'OK') parts.push('OK');
  if (s.originalSpanId !== undefined) parts.push(`(stored as span ${s.originalSpanId})`);
  if (s.warnings.length > 0) parts.push('⚠');
  return parts.join('  ');
}

/** The span's `ml.*` attributes: the well-known ones first, then inputs and outputs in payload order. */
function attributeLines(s: SpanJson, max: number): string[] {
  const keys = Object.keys(s.attributes).filter((k) => k.startsWith('ml.'));
  if (keys.length === 0) return [];
  const rank = (k: string): number => {
    const known = ML_ORDER.indexOf(k);
    if (known >= 0) return known;
    if (k.startsWith('ml.input.')) return ML_ORDER.length;
    if (k.startsWith('ml.output.')) return ML_ORDER.length + 1;
    return ML_ORDER.length + 2;
  };
  const ordered = keys
    .map((k, i) => ({ k, i }))
    .sort((a, b) => rank(a.k) - rank(b.k) || a.i - b.i)
    .map((x) => x.k);
  const width = Math.max(...ordered.map((k) => k.length));
  return ordered.map((k) => `${k.padEnd(width)} = ${formatValue(s.attributes[k] as AttributeValue, max)}`);
}

export function formatValue(value: AttributeValue, max: number): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const flat = text.replace(/[\r\n\t]+/g, ' ');
  return flat.length <= max ? flat : `${flat.slice(0, max)}… (${flat.length} characters; --json shows all)`;
}

/** Microseconds as a person reads them: 850µs, 12.35ms, 1.204s, 2m 3.5s. */
export function formatMicros(us: number): string {
  const abs = Math.abs(us);
  const sign = us < 0 ? '-' : '';
  if (abs < 1000) return `${sign}${round(abs, abs < 10 ? 3 : 1)}µs`;
  if (abs < 1e6) return `${sign}${round(abs / 1e3, 2)}ms`;
  if (abs < 60e6) return `${sign}${round(abs / 1e6, 3)}s`;
  const minutes = Math.floor(abs / 60e6);
  return `${sign}${minutes}m ${round((abs - minutes * 60e6) / 1e6, 1)}s`;
}

function round(n: number, digits: number): string {
  return String(Number(n.toFixed(digits)));
}

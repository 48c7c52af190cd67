import { ML } from '../../shared/attribute-keys.js';
import type { AttributeValue } from '../../shared/span-record.js';
import type { InventoryRecord, RecordKind } from './subject-inventory.js';

/**
 * The subject's inventory written out, as text chunks to stream:
 * - `json`: one document (Art. 15) — `{ "subject": {...}, "spans": [...], "feedback": [...], …, "counts": {...} }`,
 *   a list per kind, written as the records arrive;
 * - `jsonl`: one record a line, each with its `type` (Art. 20, machine-readable);
 * - `csv`: the captured inputs, predictions and labels, one line per request row (Art. 20).
 */
export type ExportFormat = 'json' | 'jsonl' | 'csv';

const LIST_NAMES: Record<Exclude<RecordKind, 'subject'>, string> = {
  span: 'spans',
  feedback: 'feedback',
  pending_feedback: 'pendingFeedback',
  alert: 'alerts',
  outbox: 'outbox',
  reference: 'references',
  drift_summary: 'driftSummaries',
  relationship_summary: 'relationshipSummaries',
  correction: 'corrections',
  restriction: 'restrictions',
};

export async function* jsonDocument(records: AsyncIterable<InventoryRecord>): AsyncGenerator<string> {
  const counts: Record<string, number> = Object.fromEntries(Object.values(LIST_NAMES).map((n) => [n, 0]));
  const opened = new Set<string>();
  let current: string | undefined;
  yield '{';
  for await (const { type, ...rest } of records) {
    if (type === 'subject') {
      yield `"subject":${JSON.stringify(rest)}`;
      continue;
    }
    const list = LIST_NAMES[type];
    if (list !== current) {
      if (current !== undefined) yield ']';
      if (opened.has(list)) throw new Error(`inventory records of "${type}" came out of order`);
      opened.add(list);
      current = list;
      yield `,${JSON.stringify(list)}:[`;
    } else yield ',';
    counts[list] = (counts[list] ?? 0) + 1;
    yield JSON.stringify(rest);
  }
  if (current !== undefined) yield ']';
  for (const list of Object.values(LIST_NAMES)) if (!opened.has(list)) yield `,${JSON.stringify(list)}:[]`;
  yield `,"counts":${JSON.stringify(counts)}}\n`;
}

export async function* jsonLines(records: AsyncIterable<InventoryRecord>): AsyncGenerator<string> {
  for await (const r of records) yield `${JSON.stringify(r)}\n`;
}

interface CsvRow {
  cells: Map<string, AttributeValue>;
}

const FIXED = ['trace_id', 'span_id', 'request_id', 'row', 'time', 'model', 'version', 'label'];

/** RFC 4180: quoted when it holds a comma, quote or line break; a formula-looking text is prefixed with '. */
function csvCell(v: AttributeValue | undefined): string {
  if (v === undefined || v === null) return '';
  let text = typeof v === 'object' ? JSON.stringify(v) : String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The CSV: spans' captured `ml.input.*` / `ml.output.*` values per row, with the feedback label of
 * that row. The columns are known only once every span is read, so the rows are kept until the end
 * (values only: a few hundred bytes a row).
 */
export async function* capturedCsv(records: AsyncIterable<InventoryRecord>): AsyncGenerator<string> {
  const rows: CsvRow[] = [];
  const byKey = new Map<string, CsvRow>();
  const columns = new Set<string>();
  for await (const r of records) {
    if (r.type === 'span' && r['kind'] === 'SERVER') {
      const attributes = r['attributes'] as Record<string, AttributeValue>;
      const captured = Object.keys(attributes).filter(
        (k) => k.startsWith(ML.inputPrefix) || k.startsWith(ML.outputPrefix),
      );
      if (captured.length === 0) continue;
      const batchRows = r['batchRows'] as number[] | undefined;
      const size = Math.max(
        1,
        ...captured.map((k) => (Array.isArray(attributes[k]) ? (attributes[k] as unknown[]).length : 1)),
      );
      for (let i = 0; i < size; i++) {
        const row = batchRows?.[i] ?? i;
        const cells = new Map<string, AttributeValue>([
          ['trace_id', r['traceId'] as string],
          ['span_id', r['spanId'] as string],
          ['request_id', attributes[ML.requestId] ?? null],
          ['row', row],
          ['time', new Date(Number(BigInt(r['startTimeUnixNano'] as string) / 1_000_000n)).toISOString()],
          ['model', attributes[ML.modelName] ?? (r['serviceName'] as string)],
          ['version', attributes[ML.modelVersion] ?? null],
        ]);
        for (const k of captured) {
          const v = attributes[k] as AttributeValue;
          const column = k.slice(3); // input.x / output.y
          columns.add(column);
          cells.set(column, Array.isArray(v) ? (v[i] ?? null) : v);
        }
        const csvRow = { cells };
        rows.push(csvRow);
        byKey.set(`${String(cells.get('request_id'))}\u0000${row}`, csvRow);
      }
    } else if (r.type === 'feedback') {
      const target = byKey.get(`${String(r['requestId'])}\u0000${String(r['row'])}`);
      const truth = r['truth'] as { kind: 'label'; label: AttributeValue } | { kind: 'value'; value: number };
      target?.cells.set('label', truth.kind === 'label' ? truth.label : truth.value);
    }
  }
  const header = [...FIXED, ...[...columns].sort()];
  yield `${header.map(csvCell).join(',')}\r\n`;
  for (const row of rows) yield `${header.map((c) => csvCell(row.cells.get(c))).join(',')}\r\n`;
}

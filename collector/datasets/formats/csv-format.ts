import type { Column } from '../dataset-columns.js';
import type { CellValue, RowBatch } from '../dataset-rows.js';
import { isoTime, type FormatWriter } from './format-writer.js';

/**
 * CSV (RFC 4180): a header row of the column names, then one line per row; an empty field is a
 * missing value; `time` is RFC 3339 UTC with milliseconds. Fields holding a comma, a quote or a
 * line break are quoted, quotes doubled. Written by hand: a batch is column-major, and a
 * per-row-object CSV library would cost a copy of every value.
 */
const NEEDS_QUOTES = /[",\r\n]/;

function field(v: CellValue): string {
  if (v === null) return '';
  if (typeof v !== 'string') return String(v);
  return NEEDS_QUOTES.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

export function csvFormat(columns: readonly Column[]): FormatWriter {
  const encoder = new TextEncoder();
  return {
    contentType: 'text/csv; charset=utf-8',
    extension: 'csv',
    begin: () => encoder.encode(`${columns.map((c) => field(c.name)).join(',')}\n`),
    write(batch: RowBatch) {
      const lines: string[] = new Array<string>(batch.count);
      const time = batch.cells[0]!;
      for (let r = 0; r < batch.count; r++) {
        let line = isoTime(time[r] as number);
        for (let c = 1; c < columns.length; c++) line += `,${field(batch.cells[c]![r]!)}`;
        lines[r] = line;
      }
      return encoder.encode(`${lines.join('\n')}\n`);
    },
    end: () => undefined,
  };
}

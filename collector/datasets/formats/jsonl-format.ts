import type { Column } from '../dataset-columns.js';
import type { RowBatch } from '../dataset-rows.js';
import { isoTime, type FormatWriter } from './format-writer.js';

/**
 * JSON Lines: one object per row, keys in column order, every column present (null when
 * missing); `time` is RFC 3339 UTC with milliseconds. An empty dataset is an empty file.
 */
export function jsonlFormat(columns: readonly Column[]): FormatWriter {
  const encoder = new TextEncoder();
  const names = columns.map((c) => c.name);
  return {
    contentType: 'application/x-ndjson',
    extension: 'jsonl',
    begin: () => undefined,
    write(batch: RowBatch) {
      const lines: string[] = new Array<string>(batch.count);
      for (let r = 0; r < batch.count; r++) {
        const row: Record<string, unknown> = { [names[0]!]: isoTime(batch.cells[0]![r] as number) };
        for (let c = 1; c < names.length; c++) row[names[c]!] = batch.cells[c]![r];
        lines[r] = JSON.stringify(row);
      }
      return encoder.encode(`${lines.join('\n')}\n`);
    },
    end: () => undefined,
  };
}

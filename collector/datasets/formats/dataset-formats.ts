import type { Column } from '../dataset-columns.js';
import type { DatasetFormat } from '../dataset-query.js';
import { csvFormat } from './csv-format.js';
import type { FormatWriter } from './format-writer.js';
import { jsonlFormat } from './jsonl-format.js';
import { parquetFormat } from './parquet-format.js';

/** The writer of a dataset format for these columns. */
export function formatWriter(format: DatasetFormat, columns: readonly Column[]): FormatWriter {
  switch (format) {
    case 'csv':
      return csvFormat(columns);
    case 'jsonl':
      return jsonlFormat(columns);
    case 'parquet':
      return parquetFormat(columns);
  }
}

import { ByteWriter, ParquetWriter, schemaFromColumnData, type BasicType } from 'hyparquet-writer';
import type { Column, ColumnType } from '../dataset-columns.js';
import type { CellValue, RowBatch } from '../dataset-rows.js';
import type { FormatWriter } from './format-writer.js';

/**
 * Apache Parquet with typed, nullable columns (hyparquet-writer, Snappy): `time` a TIMESTAMP
 * (milliseconds, UTC), `row` INT32, numeric features DOUBLE, boolean ones BOOLEAN, the rest UTF-8
 * strings. Rows are gathered into row groups of ROW_GROUP_ROWS; each group's bytes go out as soon
 * as it is encoded, and the footer (schema, row groups) at the end — so memory is one row group,
 * whatever the dataset's size. An empty dataset is a valid file with its schema and no rows.
 */
const ROW_GROUP_ROWS = 20_000;

const PARQUET_TYPES: Record<ColumnType, BasicType> = {
  timestamp: 'TIMESTAMP',
  int: 'INT32',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
  string: 'STRING',
};

export function parquetFormat(columns: readonly Column[]): FormatWriter {
  const out = new ByteWriter(1 << 20);
  const schema = schemaFromColumnData({
    columnData: columns.map((c) => ({ name: c.name, data: [], type: PARQUET_TYPES[c.type], nullable: true })),
  });
  let writer: ParquetWriter | undefined;
  let pending: CellValue[][] = columns.map(() => []);
  let pendingRows = 0;

  /** What the byte writer holds, handed out and forgotten. */
  const take = (): Uint8Array | undefined => {
    if (out.index === 0) return undefined;
    const bytes = out.getBytes().slice();
    out.index = 0;
    return bytes;
  };
  const flushGroup = (): void => {
    if (pendingRows === 0) return;
    const columnData = columns.map((c, i) => ({ name: c.name, data: pending[i]! }));
    void writer!.write({ columnData, rowGroupSize: pendingRows });
    pending = columns.map(() => []);
    pendingRows = 0;
  };

  return {
    contentType: 'application/vnd.apache.parquet',
    extension: 'parquet',
    begin() {
      writer = new ParquetWriter({ writer: out, schema, createdBy: 'infertrace' });
      return take();
    },
    write(batch: RowBatch) {
      for (let c = 0; c < columns.length; c++) {
        const target = pending[c]!;
        for (const v of batch.cells[c]!) target.push(v);
      }
      pendingRows += batch.count;
      if (pendingRows < ROW_GROUP_ROWS) return undefined;
      flushGroup();
      return take();
    },
    end() {
      flushGroup();
      void writer!.finish();
      return take();
    },
  };
}

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

/**
 * Reads a Parquet file back with an independent reader (DuckDB): its column names and types as
 * DuckDB sees them, and its rows as plain objects in file order.
 */
export async function readParquet(
  dir: string,
  bytes: Uint8Array,
): Promise<{ columns: [name: string, type: string][]; rows: Record<string, unknown>[] }> {
  const file = join(dir, `read-back-${Date.now()}-${Math.random().toString(36).slice(2)}.parquet`);
  writeFileSync(file, bytes);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const path = file.replaceAll("'", "''");
    const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${path}')`);
    const columns = described
      .getRowObjectsJS()
      .map((r) => [String(r['column_name']), String(r['column_type'])] as [string, string]);
    const read = await connection.runAndReadAll(`SELECT * FROM read_parquet('${path}')`);
    return { columns, rows: read.getRowObjectsJS() as Record<string, unknown>[] };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

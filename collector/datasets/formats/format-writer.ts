import type { RowBatch } from '../dataset-rows.js';

/**
 * Turns batches of rows into the bytes of one file format, as they come: the caller sends each
 * chunk on before asking for the next batch, so a format holds at most what it must (a Parquet row
 * group). `begin` is the header, `end` what closes the file (a Parquet footer).
 */
export interface FormatWriter {
  readonly contentType: string;
  readonly extension: string;
  begin(): Uint8Array | undefined;
  write(batch: RowBatch): Uint8Array | undefined;
  end(): Uint8Array | undefined;
}

export const isoTime = (ms: number): string => new Date(ms).toISOString();

import type { ProtocolCodec } from './codec.js';
import { FeatureTable, MalformedBody, isRecord, toCell, type Extraction } from './extraction.js';
import { addColumns, addRows, addValue, isFlat } from './tensor.js';

/*
 * MLflow scoring server (`POST /invocations`). Requests: `dataframe_split` (`columns` + `data`
 * rows, pandas split orient), `dataframe_records` (a list of row objects), `instances` (rows) or
 * `inputs` (a tensor or an object of named tensors). Responses: `{"predictions": ...}` (MLflow 2+)
 * or a bare list (MLflow 1).
 */

function dataframeSplit(t: FeatureTable, split: unknown): void {
  if (!isRecord(split) || !Array.isArray(split.data)) throw new MalformedBody('"dataframe_split" needs a "data" list');
  const columns = Array.isArray(split.columns) ? split.columns.map(String) : undefined;
  const data: unknown[] = split.data;
  // Fast path, the usual frame: named columns and flat rows no longer than the header.
  if (columns && data.every((row) => Array.isArray(row) && row.length <= columns.length && isFlat(row))) {
    columns.forEach((name, j) =>
      t.column(
        name,
        data.map((row) => toCell((row as unknown[])[j])),
      ),
    );
    t.atLeastRows(data.length);
    return;
  }
  data.forEach((row, i) => {
    // Without column names a row is an unnamed tensor row: `dataframe_split.<j>`, renameable.
    if (columns === undefined || !Array.isArray(row)) addValue(t, i, 'dataframe_split', row);
    else row.forEach((v, j) => addValue(t, i, columns[j] ?? `dataframe_split.${j}`, v));
    t.atLeastRows(i + 1);
  });
}

function readRequest(body: unknown, maxColumns?: number): Extraction {
  if (!isRecord(body)) throw new MalformedBody('a scoring request is a JSON object');
  const t = new FeatureTable(maxColumns);
  if (body.dataframe_split !== undefined) dataframeSplit(t, body.dataframe_split);
  else if (body.dataframe_records !== undefined) {
    if (!Array.isArray(body.dataframe_records)) throw new MalformedBody('"dataframe_records" must be a list');
    addRows(t, body.dataframe_records, 'dataframe_records');
  } else if (Array.isArray(body.instances)) addRows(t, body.instances, 'instances');
  else if (body.inputs !== undefined) addColumns(t, body.inputs, 'inputs');
  else throw new MalformedBody('expected dataframe_split, dataframe_records, instances or inputs');
  return t.extraction();
}

function readResponse(body: unknown, maxColumns?: number): Extraction {
  const t = new FeatureTable(maxColumns);
  const predictions = isRecord(body) ? body.predictions : body;
  if (Array.isArray(predictions)) addRows(t, predictions, 'predictions');
  else if (isRecord(predictions)) addColumns(t, predictions, 'predictions');
  else if (predictions !== undefined && predictions !== body) addValue(t, 0, 'predictions', predictions);
  else throw new MalformedBody('expected "predictions"');
  return t.extraction();
}

export const mlflow: ProtocolCodec = {
  protocol: 'mlflow',
  recognises: (body) => body.dataframe_split !== undefined || body.dataframe_records !== undefined,
  request: readRequest,
  response: readResponse,
};

import type { ProtocolCodec } from './codec.js';
import { FeatureTable, MalformedBody, isRecord, type Extraction } from './extraction.js';
import { addColumns, addRows } from './tensor.js';

/*
 * TensorFlow Serving REST and KServe v1 (`/v1/models/{m}:predict`):
 * - row format: `instances` (scalars, lists, or objects of named inputs) → `predictions`;
 * - columnar format: `inputs` (one tensor, or an object of named tensors, batch first) → `outputs`;
 * - classify/regress: `examples` (+ shared `context`) → `results`.
 * Unnamed values are named after the field they came in, e.g. `instances.0`, `predictions`.
 */

function read(body: unknown, rowsKey: string, columnsKey: string, maxColumns?: number): Extraction {
  if (!isRecord(body)) throw new MalformedBody('a predict body is a JSON object');
  const t = new FeatureTable(maxColumns);
  if (Array.isArray(body[rowsKey])) addRows(t, body[rowsKey] as unknown[], rowsKey);
  else if (body[columnsKey] !== undefined) addColumns(t, body[columnsKey], columnsKey);
  else if (Array.isArray(body.examples)) {
    addRows(t, body.examples, 'examples');
    // Context features are shared by every example: repeat them per row.
    if (isRecord(body.context)) {
      const rows = t.rows;
      for (const [k, v] of Object.entries(body.context))
        addRows(
          t,
          Array.from({ length: rows }, () => ({ [k]: v })),
          k,
        );
    }
  } else if (Array.isArray(body.results)) addRows(t, body.results, 'results');
  else throw new MalformedBody(`expected "${rowsKey}" or "${columnsKey}"`);
  return t.extraction();
}

export const tfServing: ProtocolCodec = {
  protocol: 'tfserving',
  recognises: (body) => Array.isArray(body.instances) || body.inputs !== undefined || Array.isArray(body.examples),
  request: (body, maxColumns) => read(body, 'instances', 'inputs', maxColumns),
  response: (body, maxColumns) => read(body, 'predictions', 'outputs', maxColumns),
};

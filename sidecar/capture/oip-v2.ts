import type { ProtocolCodec } from './codec.js';
import { FeatureTable, MalformedBody, isRecord, optionalString, type Extraction } from './extraction.js';
import { addShaped, validShape } from './tensor.js';

/*
 * Open Inference Protocol (KServe v2, Triton): `{"id", "parameters", "inputs": [{"name", "shape",
 * "datatype", "data"}], "outputs"}`; the response carries `model_name`, `model_version`, `id` and
 * `outputs` tensors of the same form. With the binary tensor extension a tensor's data follows the
 * JSON and `parameters.binary_data_size` gives its size: recorded as `<name>.bytes`, never read.
 */

function readTensors(list: unknown, field: string, maxColumns: number | undefined): FeatureTable {
  if (!Array.isArray(list)) throw new MalformedBody(`"${field}" must be a list of tensors`);
  const t = new FeatureTable(maxColumns);
  for (const tensor of list) {
    if (!isRecord(tensor) || typeof tensor.name !== 'string' || tensor.name === '') {
      throw new MalformedBody(`every entry of "${field}" needs a name`);
    }
    if (!validShape(tensor.shape)) throw new MalformedBody(`tensor "${tensor.name}" has no valid shape`);
    const params = isRecord(tensor.parameters) ? tensor.parameters : {};
    if (tensor.data === undefined && typeof params.binary_data_size === 'number') {
      const rows = tensor.shape.length === 0 ? 1 : (tensor.shape[0] as number);
      for (let i = 0; i < rows; i++)
        t.set(`${tensor.name}.bytes`, i, Math.round(params.binary_data_size / Math.max(rows, 1)));
      continue;
    }
    if (tensor.data === undefined) throw new MalformedBody(`tensor "${tensor.name}" has no data`);
    addShaped(t, tensor.name, tensor.shape, tensor.data);
  }
  return t;
}

function extraction(t: FeatureTable, body: Record<string, unknown>): Extraction {
  const e = t.extraction();
  const id = optionalString(body.id);
  const name = optionalString(body.model_name);
  const version = optionalString(body.model_version);
  if (id !== undefined) e.requestId = id;
  if (name !== undefined) e.modelName = name;
  if (version !== undefined) e.modelVersion = version;
  return e;
}

export const oipV2: ProtocolCodec = {
  protocol: 'oip-v2',
  recognises: (body) =>
    Array.isArray(body.inputs) &&
    body.inputs.length > 0 &&
    body.inputs.every((i) => isRecord(i) && typeof i.name === 'string' && ('datatype' in i || 'shape' in i)),
  request(body, maxColumns) {
    if (!isRecord(body)) throw new MalformedBody('an inference request is a JSON object');
    return extraction(readTensors(body.inputs, 'inputs', maxColumns), body);
  },
  response(body, maxColumns) {
    if (!isRecord(body)) throw new MalformedBody('an inference response is a JSON object');
    return extraction(readTensors(body.outputs, 'outputs', maxColumns), body);
  },
};

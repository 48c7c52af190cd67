import type { ProtocolCodec } from './codec.js';
import { FeatureTable, MalformedBody, isRecord, optionalString, type Extraction } from './extraction.js';
import { renameColumns } from './feature-names.js';
import { addShaped, addTensor, b64Size, validShape } from './tensor.js';
import { addScalarFields } from './json.js';

/*
 * Seldon Core v1 SeldonMessage: `{"data": {"names": [...], "ndarray": [[...]]}}` or
 * `{"data": {"names": [...], "tensor": {"shape": [...], "values": [...]}}}`, or `strData`,
 * `jsonData`, `binData` (size only); `meta.puid` is Seldon's request id. Responses have the
 * same shape; `names` label the columns.
 */

function read(body: unknown, maxColumns?: number): Extraction {
  if (!isRecord(body)) throw new MalformedBody('a SeldonMessage is a JSON object');
  const t = new FeatureTable(maxColumns);
  let names: string[] | undefined;
  if (isRecord(body.data)) {
    const { data } = body;
    if (Array.isArray(data.names)) names = data.names.map(String);
    if (data.ndarray !== undefined) addTensor(t, 'ndarray', data.ndarray);
    else if (isRecord(data.tensor)) {
      if (!validShape(data.tensor.shape) || !Array.isArray(data.tensor.values))
        throw new MalformedBody('"data.tensor" needs "shape" and "values"');
      addShaped(t, 'tensor', data.tensor.shape, data.tensor.values);
    } else throw new MalformedBody('"data" needs "ndarray" or "tensor" ("tftensor" is not captured)');
  } else if (typeof body.strData === 'string') t.set('strData', 0, body.strData);
  else if (typeof body.binData === 'string') t.set('binData.bytes', 0, b64Size(body.binData));
  else if (isRecord(body.jsonData)) addScalarFields(t, body.jsonData);
  else throw new MalformedBody('expected "data", "strData", "binData" or "jsonData"');
  const e = t.extraction();
  if (names && names.length > 0) e.features = renameColumns(e.features, names);
  const puid = isRecord(body.meta) ? optionalString(body.meta.puid) : undefined;
  if (puid !== undefined) e.requestId = puid;
  return e;
}

export const seldon: ProtocolCodec = {
  protocol: 'seldon',
  recognises: (body) =>
    (isRecord(body.data) &&
      (body.data.ndarray !== undefined || body.data.tensor !== undefined || body.data.tftensor !== undefined)) ||
    typeof body.strData === 'string' ||
    typeof body.binData === 'string' ||
    isRecord(body.jsonData),
  request: read,
  response: read,
};

import type { ProtocolCodec } from './codec.js';
import { FeatureTable, MalformedBody, isRecord, type Extraction } from './extraction.js';

/*
 * Any other JSON object: its top-level scalar fields are the features (one row), the response's
 * top-level scalar fields the outputs. Nested objects and lists are not captured.
 */

export function addScalarFields(t: FeatureTable, body: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(body)) {
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') t.set(k, 0, v);
  }
  t.atLeastRows(1);
}

function read(body: unknown): Extraction {
  if (!isRecord(body)) throw new MalformedBody('only a JSON object is captured');
  const t = new FeatureTable();
  addScalarFields(t, body);
  return t.extraction();
}

export const json: ProtocolCodec = {
  protocol: 'json',
  recognises: () => true,
  request: read,
  response: read,
};

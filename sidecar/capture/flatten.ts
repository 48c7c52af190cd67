import type { Attributes, AttributeValue } from '../../shared/span-record.js';
import type { Cell, Feature } from './extraction.js';

/**
 * Features → span attributes, `<prefix><name>`: a scalar when the side has one row, an array
 * (one element per row) for a batch. OpenTelemetry only accepts arrays of one primitive type, so a
 * feature whose rows mix types is recorded as strings. A one-row null is left out.
 */
export function flattenFeatures(features: readonly Feature[], rows: number, prefix: string, into: Attributes): void {
  for (const f of features) {
    const key = prefix + f.name;
    if (rows <= 1) {
      const v = f.values[0];
      if (v !== undefined && v !== null) into[key] = v;
    } else into[key] = homogeneous(f.values);
  }
}

function homogeneous(values: readonly Cell[]): AttributeValue[] {
  let type: string | undefined;
  let mixed = false;
  for (const v of values) {
    if (v === null) continue;
    if (type === undefined) type = typeof v;
    else if (typeof v !== type) {
      mixed = true;
      break;
    }
  }
  // The arrays come fresh from extraction and are not shared, so a homogeneous one is used as is.
  return mixed ? values.map((v) => (v === null ? null : String(v))) : (values as AttributeValue[]);
}

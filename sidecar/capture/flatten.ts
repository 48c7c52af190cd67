import type { Attributes, AttributeValue } from '../../shared/span-record.js';
import type { Cell, Feature } from './extraction.js';

/**
 * Features → span attributes, `<prefix><name>`: a scalar when the side has one row, an array
 * (one element per row) for a batch. OpenTelemetry only accepts arrays of one primitive type, so a
 * feature whose rows mix types is recorded as strings. A one-row null is left out.
 */
export function flattenFeatures(features: readonly Feature[], rows: number, prefix: string, into: Attributes): void {
  featureValues(features, rows, prefix, attributeSink(into));
}

/** Where flattened features go: an attributes object, or straight into an encoding. */
export interface FeatureSink {
  put(prefix: string, name: string, value: AttributeValue): void;
}

/** A sink that sets `<prefix><name>` on `into`. */
export function attributeSink(into: Attributes): FeatureSink {
  return { put: (prefix, name, value) => (into[prefix + name] = value) };
}

/** Each feature's attribute value (see flattenFeatures), handed to `sink` in payload order. */
export function featureValues(features: readonly Feature[], rows: number, prefix: string, sink: FeatureSink): void {
  for (const f of features) {
    if (rows <= 1) {
      const v = f.values[0];
      if (v !== undefined && v !== null) sink.put(prefix, f.name, v);
    } else sink.put(prefix, f.name, homogeneous(f.values));
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

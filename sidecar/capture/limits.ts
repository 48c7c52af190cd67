import type { Cell, Feature } from './extraction.js';

/**
 * Bounds on what one exchange may put on a span. Exceeding any of them keeps the first part and
 * marks the span `ml.capture = truncated` with the limit's name as the reason.
 */
export interface CaptureLimits {
  /** Largest body (request or response, after decompression) that is parsed at all. */
  readonly maxBytes: number;
  /** Features kept per side (inputs, and separately outputs), in payload order. */
  readonly maxFeatures: number;
  /** Values kept per feature, i.e. rows of a batch. */
  readonly maxValues: number;
  /** Characters kept per string value. */
  readonly maxString: number;
}

export const DEFAULT_LIMITS: CaptureLimits = Object.freeze({
  maxBytes: 1024 * 1024,
  maxFeatures: 256,
  maxValues: 64,
  maxString: 256,
});

export type TruncationReason = 'max_features' | 'max_values' | 'max_string' | 'max_name';

/** Longest feature name kept; longer names (usually payloads used as keys) are cut. */
export const MAX_NAME = 128;

/** Feature count and values per feature; cheap slicing, done before the privacy step. */
export function limitShape(
  features: readonly Feature[],
  limits: CaptureLimits,
  reasons: Set<TruncationReason>,
): Feature[] {
  let kept = features;
  if (kept.length > limits.maxFeatures) {
    kept = kept.slice(0, limits.maxFeatures);
    reasons.add('max_features');
  }
  return kept.map((f) => {
    let out = f;
    if (f.values.length > limits.maxValues) {
      reasons.add('max_values');
      out = { ...out, values: f.values.slice(0, limits.maxValues) };
    }
    if (f.name.length > MAX_NAME) {
      reasons.add('max_name');
      out = { ...out, name: f.name.slice(0, MAX_NAME) };
    }
    return out;
  });
}

/** String length; done after the privacy step, which needs to see a little more than is kept. */
export function limitStrings(
  features: readonly Feature[],
  maxString: number,
  reasons: Set<TruncationReason>,
): Feature[] {
  return features.map((f) => {
    let values: Cell[] | undefined;
    const src = f.values;
    for (let i = 0; i < src.length; i++) {
      const v = src[i];
      if (typeof v === 'string' && v.length > maxString) {
        values ??= [...src];
        values[i] = v.slice(0, maxString);
        reasons.add('max_string');
      }
    }
    return values ? { ...f, values } : f;
  });
}

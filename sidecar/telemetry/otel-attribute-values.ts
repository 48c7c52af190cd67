import type { Attributes as OtelAttributes, AttributeValue as OtelValue } from '@opentelemetry/api';
import type { Attributes } from '../../shared/span-record.js';

function isPrimitive(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/** Whether every element is a primitive and all share one type (what OpenTelemetry accepts). */
function isHomogeneous(values: readonly unknown[]): boolean {
  if (values.length === 0) return true;
  const type = typeof values[0];
  if (type !== 'string' && type !== 'number' && type !== 'boolean') return false;
  // A plain loop: this runs once per captured feature, so no per-call Set or mapped copy.
  for (let i = 1; i < values.length; i++) if (typeof values[i] !== type) return false;
  return true;
}

/**
 * Converts capture attributes (JSON-like values) to what OpenTelemetry accepts: primitives and
 * homogeneous arrays of primitives pass; objects and mixed arrays become JSON text; null is skipped.
 */
export function toOtelAttributes(attrs: Attributes): OtelAttributes {
  const out: OtelAttributes = {};
  for (const key of Object.keys(attrs)) {
    const value = attrs[key];
    if (value === null || value === undefined) continue;
    if (isPrimitive(value)) out[key] = value;
    else if (Array.isArray(value) && isHomogeneous(value)) out[key] = value as OtelValue;
    else out[key] = JSON.stringify(value);
  }
  return out;
}

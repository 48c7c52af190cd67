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
 * One capture value as OpenTelemetry accepts it: primitives and homogeneous arrays of primitives
 * pass; objects and mixed arrays (nulls included) become JSON text; null is left out (undefined).
 */
export function toOtelValue(value: Attributes[string] | undefined): OtelValue | undefined {
  if (value === null || value === undefined) return undefined;
  if (isPrimitive(value)) return value;
  if (Array.isArray(value) && isHomogeneous(value)) return value as OtelValue;
  return JSON.stringify(value);
}

/** Capture attributes converted value by value (toOtelValue). */
export function toOtelAttributes(attrs: Attributes): OtelAttributes {
  const out: OtelAttributes = {};
  for (const key of Object.keys(attrs)) {
    const value = toOtelValue(attrs[key]);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

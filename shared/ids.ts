import { randomBytes } from 'node:crypto';

/** Trace and span ids as lowercase hex, with the validity rules of W3C Trace Context and OTLP. */

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;
const ZERO_TRACE_ID = '0'.repeat(32);
const ZERO_SPAN_ID = '0'.repeat(16);

export function isValidTraceId(id: string): boolean {
  return TRACE_ID.test(id) && id !== ZERO_TRACE_ID;
}

export function isValidSpanId(id: string): boolean {
  return SPAN_ID.test(id) && id !== ZERO_SPAN_ID;
}

/** Accepts the 16- and 32-hex-digit forms (B3, Jaeger and Zipkin allow 64-bit trace ids) and left-pads. */
export function normaliseTraceId(id: string): string | undefined {
  const lower = id.toLowerCase();
  if (!/^[0-9a-f]{1,32}$/.test(lower)) return undefined;
  const padded = lower.padStart(32, '0');
  return isValidTraceId(padded) ? padded : undefined;
}

export function normaliseSpanId(id: string): string | undefined {
  const lower = id.toLowerCase();
  if (!/^[0-9a-f]{1,16}$/.test(lower)) return undefined;
  const padded = lower.padStart(16, '0');
  return isValidSpanId(padded) ? padded : undefined;
}

export function randomTraceId(): string {
  return randomBytes(16).toString('hex');
}

export function randomSpanId(): string {
  return randomBytes(8).toString('hex');
}

/**
 * Ids as Jaeger prints them: a trace id whose high 64 bits are zero is written with 16 hex
 * digits (Jaeger's TraceID.String), otherwise 32; span ids always with 16.
 */
export function jaegerTraceId(traceId: string): string {
  const padded = traceId.toLowerCase().padStart(32, '0');
  return padded.startsWith('0000000000000000') ? padded.slice(16) : padded;
}

export function jaegerSpanId(spanId: string): string {
  return spanId.toLowerCase().padStart(16, '0');
}

/**
 * OTLP/HTTP response bodies, in the encoding of the request: ExportTraceServiceResponse on success
 * and google.rpc.Status on failure (opentelemetry/proto/collector/trace/v1/trace_service.proto,
 * google/rpc/status.proto). The JSON Status also carries the project's `{ error: { code, message } }`
 * so a person with curl sees the stable code; OTLP clients ignore the unknown field.
 */
export type OtlpFormat = 'protobuf' | 'json';

export const CONTENT_TYPES: Record<OtlpFormat, string> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};

export interface PartialSuccess {
  rejectedSpans: number;
  errorMessage: string;
}

function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v > 0x7f) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

/** One length-delimited field. */
function lenField(field: number, bytes: Buffer): Buffer {
  return Buffer.concat([Buffer.from([(field << 3) | 2, ...varint(bytes.length)]), bytes]);
}

function varintField(field: number, n: number): Buffer {
  return Buffer.from([(field << 3) | 0, ...varint(n)]);
}

export function encodeExportResponse(format: OtlpFormat, partial?: PartialSuccess): Buffer | string {
  if (format === 'json') {
    // int64 is a decimal string in proto3 JSON.
    return JSON.stringify(
      partial === undefined
        ? {}
        : { partialSuccess: { rejectedSpans: String(partial.rejectedSpans), errorMessage: partial.errorMessage } },
    );
  }
  if (partial === undefined) return Buffer.alloc(0);
  const inner = Buffer.concat([
    partial.rejectedSpans > 0 ? varintField(1, partial.rejectedSpans) : Buffer.alloc(0),
    partial.errorMessage !== '' ? lenField(2, Buffer.from(partial.errorMessage, 'utf8')) : Buffer.alloc(0),
  ]);
  return lenField(1, inner);
}

/** A google.rpc.Status with `grpcCode` and a message that starts with the stable error code. */
export function encodeStatus(format: OtlpFormat, grpcCode: number, code: string, message: string): Buffer | string {
  if (format === 'json') {
    return JSON.stringify({ code: grpcCode, message, error: { code, message } });
  }
  return Buffer.concat([varintField(1, grpcCode), lenField(2, Buffer.from(`${code}: ${message}`, 'utf8'))]);
}

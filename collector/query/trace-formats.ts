import type { SpanRecord } from '../../shared/span-record.js';
import { toJaegerFile } from '../jaeger/jaeger-mapping.js';
import { toOtlpJson } from '../otlp/otlp-mapping.js';
import { toZipkinSpans } from '../zipkin/zipkin-mapping.js';

/**
 * `GET /api/traces/{id}?format=`: the stored spans in another system's shape, unassembled (the
 * receiving tool adjusts them itself) but for untimed Zipkin halves folded into their timed half.
 * `infertrace` (the default) is the assembled tree.
 */
export const TRACE_FORMATS = ['infertrace', 'otlp', 'jaeger', 'zipkin'] as const;
export type TraceFormat = (typeof TRACE_FORMATS)[number];

export const traceFormatQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { format: { type: 'string', enum: [...TRACE_FORMATS] } },
} as const;

const FOREIGN: Record<Exclude<TraceFormat, 'infertrace'>, (spans: readonly SpanRecord[]) => unknown> = {
  otlp: toOtlpJson,
  jaeger: toJaegerFile, // the Jaeger UI's "JSON file" shape: {data:[trace], total, limit, offset, errors}
  zipkin: toZipkinSpans,
};

export function toForeignFormat(format: Exclude<TraceFormat, 'infertrace'>, spans: readonly SpanRecord[]): unknown {
  return FOREIGN[format](spans);
}

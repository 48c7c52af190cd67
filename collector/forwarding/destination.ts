import type { SpanRecord } from '../../shared/span-record.js';
import { toOtlpJson } from '../otlp/otlp-mapping.js';
import { toZipkinSpans } from '../zipkin/zipkin-mapping.js';

/**
 * A place spans are forwarded to, and how a batch for it is written: OTLP/JSON for Jaeger (which
 * takes OTLP/HTTP on 4318), an OpenTelemetry Collector, Tempo or another infertrace; Zipkin v2 JSON
 * for Zipkin's `POST /api/v2/spans`.
 */
export type DestinationKind = 'otlp' | 'zipkin';

export interface Destination {
  kind: DestinationKind;
  /** Where batches are POSTed, e.g. http://jaeger:4318/v1/traces or http://zipkin:9411/api/v2/spans. */
  url: string;
  /** Names the destination in the outbox and in reports: `kind url`. */
  key: string;
}

export function destination(kind: DestinationKind, url: string): Destination {
  return { kind, url, key: `${kind} ${url}` };
}

/** The JSON items of one fragment (see outbox-schema.ts): no brackets, comma-separated. */
export function encodeFragment(kind: DestinationKind, spans: readonly SpanRecord[]): string {
  const items = kind === 'otlp' ? toOtlpJson(spans).resourceSpans : toZipkinSpans(spans);
  return items.map((item) => JSON.stringify(item)).join(',');
}

/** A request body from fragments, in order. */
export function requestBody(kind: DestinationKind, fragments: readonly string[]): string {
  const items = fragments.filter((f) => f !== '').join(',');
  return kind === 'otlp' ? `{"resourceSpans":[${items}]}` : `[${items}]`;
}

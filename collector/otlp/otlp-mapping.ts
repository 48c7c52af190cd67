import type { AttributeValue, Attributes, SpanRecord } from '../../shared/span-record.js';
import { SPAN_KINDS, STATUS_CODES } from '../../shared/span-record.js';
import type {
  OtlpAnyValue,
  OtlpKeyValue,
  OtlpResourceSpans,
  OtlpScopeSpans,
  OtlpSpan,
  OtlpTraceRequest,
} from './otlp-json-types.js';

/**
 * Spans → an OTLP/JSON ExportTraceServiceRequest: what an OTLP/HTTP receiver (Jaeger on 4318, an
 * OpenTelemetry Collector, infertrace itself) accepts with `Content-Type: application/json`.
 * Spans are grouped by resource, then by scope, in order of first appearance.
 */

/** Safe integers are intValue (int64 as text); other numbers doubleValue; null the empty AnyValue. */
export function toOtlpAnyValue(value: AttributeValue): OtlpAnyValue {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return { intValue: String(value) };
    // proto3 JSON writes the non-finite doubles as text.
    return { doubleValue: Number.isFinite(value) ? value : String(value) };
  }
  if (value === null) return {};
  if (Array.isArray(value)) return { arrayValue: { values: value.map(toOtlpAnyValue) } };
  return { kvlistValue: { values: toOtlpKeyValues(value) } };
}

function toOtlpKeyValues(attributes: Attributes): OtlpKeyValue[] {
  return Object.entries(attributes).map(([key, value]) => ({ key, value: toOtlpAnyValue(value) }));
}

/** Attributes are omitted when empty, as proto3 JSON omits empty repeated fields. */
function withAttributes<T extends object>(target: T, attributes: Attributes): T & { attributes?: OtlpKeyValue[] } {
  const list = toOtlpKeyValues(attributes);
  return list.length > 0 ? { ...target, attributes: list } : target;
}

function toOtlpSpan(span: SpanRecord): OtlpSpan {
  const out: OtlpSpan = {
    traceId: span.traceId,
    spanId: span.spanId,
    name: span.name,
    kind: SPAN_KINDS.indexOf(span.kind),
    startTimeUnixNano: span.startTimeUnixNano.toString(),
    endTimeUnixNano: span.endTimeUnixNano.toString(),
    status: {},
  };
  if (span.parentSpanId !== '') out.parentSpanId = span.parentSpanId;
  if (span.traceState !== '') out.traceState = span.traceState;
  if (span.flags !== 0) out.flags = span.flags;
  const attributes = toOtlpKeyValues(span.attributes);
  if (attributes.length > 0) out.attributes = attributes;
  if (span.events.length > 0) {
    out.events = span.events.map((e) =>
      withAttributes({ timeUnixNano: e.timeUnixNano.toString(), name: e.name }, e.attributes),
    );
  }
  if (span.links.length > 0) {
    out.links = span.links.map((l) => {
      const link = withAttributes({ traceId: l.traceId, spanId: l.spanId }, l.attributes);
      return l.traceState === '' ? link : { ...link, traceState: l.traceState };
    });
  }
  const code = STATUS_CODES.indexOf(span.status.code);
  if (code > 0) out.status.code = code;
  if (span.status.message !== '') out.status.message = span.status.message;
  return out;
}

export function toOtlpJson(spans: readonly SpanRecord[]): OtlpTraceRequest {
  const resources = new Map<string, { out: OtlpResourceSpans; scopes: Map<string, OtlpScopeSpans> }>();
  for (const span of spans) {
    const resourceKey = JSON.stringify(span.resource);
    let resource = resources.get(resourceKey);
    if (resource === undefined) {
      resource = {
        out: { resource: { attributes: toOtlpKeyValues(span.resource) }, scopeSpans: [] },
        scopes: new Map(),
      };
      resources.set(resourceKey, resource);
    }
    const scopeKey = JSON.stringify([span.scope.name, span.scope.version]);
    let scope = resource.scopes.get(scopeKey);
    if (scope === undefined) {
      scope = { scope: { name: span.scope.name }, spans: [] };
      if (span.scope.version !== '') scope.scope.version = span.scope.version;
      resource.scopes.set(scopeKey, scope);
      resource.out.scopeSpans.push(scope);
    }
    scope.spans.push(toOtlpSpan(span));
  }
  return { resourceSpans: [...resources.values()].map((r) => r.out) };
}

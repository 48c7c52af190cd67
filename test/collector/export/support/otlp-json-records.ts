import type { AttributeValue, Attributes, SpanRecord } from '../../../../shared/span-record.js';
import { SPAN_KINDS, STATUS_CODES, UNKNOWN_SERVICE } from '../../../../shared/span-record.js';

/**
 * Test-only: OTLP/JSON (ExportTraceServiceRequest) → SpanRecords, enough to feed golden inputs to the
 * mappings without depending on the receiver. Ids are lowercased hex, enums by number.
 */
interface AnyValueJson {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
  bytesValue?: string;
  arrayValue?: { values?: AnyValueJson[] };
  kvlistValue?: { values?: KeyValueJson[] };
}
interface KeyValueJson {
  key: string;
  value?: AnyValueJson;
}

function anyValue(v: AnyValueJson | undefined): AttributeValue {
  if (v === undefined) return null;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.bytesValue !== undefined) return v.bytesValue;
  if (v.arrayValue !== undefined) return (v.arrayValue.values ?? []).map(anyValue);
  if (v.kvlistValue !== undefined) return attributes(v.kvlistValue.values);
  return null;
}

function attributes(list: KeyValueJson[] | undefined): Attributes {
  const out: Attributes = {};
  for (const kv of list ?? []) out[kv.key] = anyValue(kv.value);
  return out;
}

interface SpanJson {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  traceState?: string;
  name: string;
  kind?: number;
  flags?: number;
  startTimeUnixNano: string | number;
  endTimeUnixNano: string | number;
  attributes?: KeyValueJson[];
  events?: { timeUnixNano: string | number; name: string; attributes?: KeyValueJson[] }[];
  links?: { traceId: string; spanId: string; traceState?: string; attributes?: KeyValueJson[] }[];
  status?: { code?: number; message?: string };
}

export interface OtlpJsonRequest {
  resourceSpans: {
    resource?: { attributes?: KeyValueJson[] };
    scopeSpans: { scope?: { name?: string; version?: string }; spans: SpanJson[] }[];
  }[];
}

export function otlpJsonToRecords(body: OtlpJsonRequest): SpanRecord[] {
  const out: SpanRecord[] = [];
  for (const rs of body.resourceSpans) {
    const resource = attributes(rs.resource?.attributes);
    const service = resource['service.name'];
    for (const ss of rs.scopeSpans) {
      for (const s of ss.spans) {
        out.push({
          traceId: s.traceId.toLowerCase(),
          spanId: s.spanId.toLowerCase(),
          parentSpanId: (s.parentSpanId ?? '').toLowerCase(),
          traceState: s.traceState ?? '',
          name: s.name,
          kind: SPAN_KINDS[s.kind ?? 0] ?? 'UNSPECIFIED',
          startTimeUnixNano: BigInt(s.startTimeUnixNano),
          endTimeUnixNano: BigInt(s.endTimeUnixNano),
          attributes: attributes(s.attributes),
          events: (s.events ?? []).map((e) => ({
            timeUnixNano: BigInt(e.timeUnixNano),
            name: e.name,
            attributes: attributes(e.attributes),
          })),
          links: (s.links ?? []).map((l) => ({
            traceId: l.traceId.toLowerCase(),
            spanId: l.spanId.toLowerCase(),
            traceState: l.traceState ?? '',
            attributes: attributes(l.attributes),
          })),
          status: { code: STATUS_CODES[s.status?.code ?? 0] ?? 'UNSET', message: s.status?.message ?? '' },
          flags: s.flags ?? 0,
          serviceName: typeof service === 'string' ? service : UNKNOWN_SERVICE,
          resource,
          scope: { name: ss.scope?.name ?? '', version: ss.scope?.version ?? '' },
        });
      }
    }
  }
  return out;
}

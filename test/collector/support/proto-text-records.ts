import type { AttributeValue, Attributes, SpanRecord } from '../../../shared/span-record.js';
import { SPAN_KINDS, STATUS_CODES } from '../../../shared/span-record.js';
import type { TextMessage } from './protoc.js';

/**
 * Span records read from protoc's text format of an ExportTraceServiceRequest: an oracle built
 * from protoc's decoding, independent of the collector's decoder, to compare it against.
 */
type TextValue = TextMessage | Buffer | string;

const msgs = (m: TextMessage, f: string): TextMessage[] => (m[f] ?? []) as TextMessage[];
const one = (m: TextMessage, f: string): TextValue | undefined => m[f]?.[0];
const text = (m: TextMessage, f: string): string => {
  const v = one(m, f);
  return Buffer.isBuffer(v) ? v.toString('utf8') : typeof v === 'string' ? v : '';
};
const hex = (m: TextMessage, f: string): string => {
  const v = one(m, f);
  return Buffer.isBuffer(v) ? v.toString('hex') : '';
};
const big = (m: TextMessage, f: string): bigint => BigInt(text(m, f) || '0');

function anyValue(v: TextMessage | undefined): AttributeValue {
  if (v === undefined) return null;
  if (v.string_value) return text(v, 'string_value');
  if (v.bool_value) return text(v, 'bool_value') === 'true';
  if (v.int_value) return Number(text(v, 'int_value'));
  if (v.double_value) return Number(text(v, 'double_value'));
  if (v.bytes_value) return (one(v, 'bytes_value') as Buffer).toString('base64');
  const arr = one(v, 'array_value') as TextMessage | undefined;
  if (arr !== undefined) return msgs(arr, 'values').map((x) => anyValue(x));
  const kv = one(v, 'kvlist_value') as TextMessage | undefined;
  if (kv !== undefined) return attributes(kv, 'values');
  return null;
}

function attributes(m: TextMessage, field = 'attributes'): Attributes {
  const out: Attributes = {};
  for (const kv of msgs(m, field)) out[text(kv, 'key')] = anyValue(one(kv, 'value') as TextMessage | undefined);
  return out;
}

const enumIndex = (name: string, prefix: string, names: readonly string[]): number =>
  name === '' ? 0 : /^\d+$/.test(name) ? Number(name) : names.indexOf(name.slice(prefix.length));

export function recordsFromProtoText(request: TextMessage): SpanRecord[] {
  const out: SpanRecord[] = [];
  for (const rs of msgs(request, 'resource_spans')) {
    const resource = attributes((one(rs, 'resource') as TextMessage | undefined) ?? {});
    const serviceName = typeof resource['service.name'] === 'string' ? resource['service.name'] : 'unknown_service';
    for (const ss of msgs(rs, 'scope_spans')) {
      const sc = (one(ss, 'scope') as TextMessage | undefined) ?? {};
      for (const s of msgs(ss, 'spans')) {
        const status = (one(s, 'status') as TextMessage | undefined) ?? {};
        out.push({
          traceId: hex(s, 'trace_id'),
          spanId: hex(s, 'span_id'),
          parentSpanId: hex(s, 'parent_span_id'),
          traceState: text(s, 'trace_state'),
          name: text(s, 'name'),
          kind: SPAN_KINDS[enumIndex(text(s, 'kind'), 'SPAN_KIND_', SPAN_KINDS)] ?? 'UNSPECIFIED',
          startTimeUnixNano: big(s, 'start_time_unix_nano'),
          endTimeUnixNano: big(s, 'end_time_unix_nano'),
          attributes: attributes(s),
          events: msgs(s, 'events').map((e) => ({
            timeUnixNano: big(e, 'time_unix_nano'),
            name: text(e, 'name'),
            attributes: attributes(e),
          })),
          links: msgs(s, 'links').map((l) => ({
            traceId: hex(l, 'trace_id'),
            spanId: hex(l, 'span_id'),
            traceState: text(l, 'trace_state'),
            attributes: attributes(l),
          })),
          status: {
            code: STATUS_CODES[enumIndex(text(status, 'code'), 'STATUS_CODE_', STATUS_CODES)] ?? 'UNSET',
            message: text(status, 'message'),
          },
          flags: Number(text(s, 'flags') || '0'),
          serviceName,
          resource,
          scope: { name: text(sc, 'name'), version: text(sc, 'version') },
        });
      }
    }
  }
  return out;
}

import type { AttributeValue, Attributes } from '../../shared/span-record.js';
import { setAttribute } from '../receiver/attribute-map.js';
import type { DecodeMeter } from '../receiver/decode-meter.js';
import type { Rejection, ValidationLimits } from '../receiver/validate.js';
import { reject } from '../receiver/validate.js';
import { ProtoReader, WIRE } from './proto-reader.js';

/**
 * OTLP's AnyValue, ArrayValue, KeyValueList and KeyValue on the wire, decoded into attribute
 * values: every element is counted on the meter before it is built, and a value nested deeper than
 * limits.maxDepth is skipped unread and recorded as the problem of its span (or resource).
 */
/** Where a value problem is recorded while one span (or resource) is decoded. */
export interface Problems {
  problem?: Rejection;
}

export interface Context {
  r: ProtoReader;
  limits: ValidationLimits;
  meter: DecodeMeter;
}

function decodeAnyValue(c: Context, end: number, depth: number, key: string, p: Problems): AttributeValue {
  const { r } = c;
  let value: AttributeValue = null;
  while (r.pos < end) {
    const tag = r.uint32(end);
    const field = tag >>> 3;
    const wt = tag & 7;
    switch (field) {
      case 1:
        r.expect(wt, WIRE.LEN, 'AnyValue.string_value');
        value = r.string(end);
        break;
      case 2:
        r.expect(wt, WIRE.VARINT, 'AnyValue.bool_value');
        value = r.uint32(end) !== 0;
        break;
      case 3:
        r.expect(wt, WIRE.VARINT, 'AnyValue.int_value');
        value = r.int64(end);
        break;
      case 4:
        r.expect(wt, WIRE.I64, 'AnyValue.double_value');
        value = r.double(end);
        break;
      case 5:
      case 6: {
        r.expect(wt, WIRE.LEN, field === 5 ? 'AnyValue.array_value' : 'AnyValue.kvlist_value');
        const stop = r.lengthDelimited(end);
        if (depth + 1 > c.limits.maxDepth) {
          // Skipped without decoding, so no depth of nesting can exhaust the stack.
          p.problem ??= reject(
            'attribute_over_limit',
            `attribute "${key}" is nested deeper than ${c.limits.maxDepth} levels`,
          );
          r.pos = stop;
          value = null;
        } else {
          value = field === 5 ? decodeArray(c, stop, depth + 1, key, p) : decodeKvList(c, stop, depth + 1, key, p);
        }
        break;
      }
      case 7:
        r.expect(wt, WIRE.LEN, 'AnyValue.bytes_value');
        value = r.base64(end);
        break;
      default:
        r.skip(wt, end);
    }
  }
  return value;
}

function decodeArray(c: Context, end: number, depth: number, key: string, p: Problems): AttributeValue[] {
  const { r } = c;
  const out: AttributeValue[] = [];
  while (r.pos < end) {
    const tag = r.uint32(end);
    if (tag >>> 3 === 1) {
      r.expect(tag & 7, WIRE.LEN, 'ArrayValue.values');
      const stop = r.lengthDelimited(end);
      c.meter.value();
      out.push(decodeAnyValue(c, stop, depth, key, p));
    } else r.skip(tag & 7, end);
  }
  return out;
}

function decodeKvList(c: Context, end: number, depth: number, key: string, p: Problems): Attributes {
  const { r } = c;
  const out: Attributes = {};
  while (r.pos < end) {
    const tag = r.uint32(end);
    if (tag >>> 3 === 1) {
      r.expect(tag & 7, WIRE.LEN, 'KeyValueList.values');
      decodeKeyValue(c, r.lengthDelimited(end), depth, out, p, key);
    } else r.skip(tag & 7, end);
  }
  return out;
}

/** Decodes one KeyValue into `into`; `outerKey` names the top-level attribute in messages. */
export function decodeKeyValue(
  c: Context,
  end: number,
  depth: number,
  into: Attributes,
  p: Problems,
  outerKey?: string,
): void {
  const { r } = c;
  c.meter.value();
  let key = '';
  let value: AttributeValue = null;
  while (r.pos < end) {
    const tag = r.uint32(end);
    const field = tag >>> 3;
    if (field === 1) {
      r.expect(tag & 7, WIRE.LEN, 'KeyValue.key');
      key = r.string(end);
    } else if (field === 2) {
      r.expect(tag & 7, WIRE.LEN, 'KeyValue.value');
      const stop = r.lengthDelimited(end);
      value = decodeAnyValue(c, stop, depth, outerKey ?? key, p);
    } else r.skip(tag & 7, end);
  }
  setAttribute(into, key, value);
}

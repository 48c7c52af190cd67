/**
 * Hand-assembled protobuf wire bytes, for payloads no well-behaved encoder writes: unknown fields,
 * fields out of order, wrong wire types, enum values out of range, extreme nesting.
 */
function varint(value: number | bigint): Buffer {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  while (v > 0x7fn) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Buffer.from(out);
}

const tag = (field: number, wireType: number): Buffer => varint((field << 3) | wireType);

/** A length-delimited field (strings, bytes, messages). */
export function len(field: number, payload: Buffer | string): Buffer {
  const bytes = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  return Buffer.concat([tag(field, 2), varint(bytes.length), bytes]);
}

export const vint = (field: number, value: number | bigint): Buffer => Buffer.concat([tag(field, 0), varint(value)]);

export function fixed64(field: number, value: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(value);
  return Buffer.concat([tag(field, 1), b]);
}

export function fixed32(field: number, value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(value);
  return Buffer.concat([tag(field, 5), b]);
}

const hexBytes = (hex: string): Buffer => Buffer.from(hex, 'hex');

/** KeyValue { key, value: AnyValue } from an already-encoded AnyValue. */
export const keyValue = (key: string, anyValue: Buffer): Buffer => Buffer.concat([len(1, key), len(2, anyValue)]);

export const stringValue = (s: string): Buffer => len(1, s);

/**
 * An AnyValue holding `depth` nested ArrayValues around a string, written outside-in in one pass
 * (concatenating level by level would copy quadratically).
 */
export function nestedAnyValue(depth: number): Buffer {
  const leaf = stringValue('leaf');
  const anySizes = [leaf.length];
  const arraySizes = [0];
  for (let i = 1; i <= depth; i++) {
    const inner = anySizes[i - 1] as number;
    const array = 1 + varint(inner).length + inner;
    arraySizes.push(array);
    anySizes.push(1 + varint(array).length + array);
  }
  const parts: Buffer[] = [];
  for (let i = depth; i >= 1; i--) {
    parts.push(
      Buffer.from([0x2a]),
      varint(arraySizes[i] as number),
      Buffer.from([0x0a]),
      varint(anySizes[i - 1] as number),
    );
  }
  parts.push(leaf);
  return Buffer.concat(parts);
}

export interface RawSpan {
  traceId?: string;
  spanId?: string;
  name?: string;
  kind?: number;
  start?: bigint;
  end?: bigint;
  /** Extra encoded fields appended to the span (attributes, unknown fields...). */
  extra?: Buffer[];
}

export function span(s: RawSpan): Buffer {
  return Buffer.concat([
    len(1, hexBytes(s.traceId ?? '0af7651916cd43dd8448eb211c80319c')),
    len(2, hexBytes(s.spanId ?? 'b7ad6b7169203331')),
    len(5, s.name ?? 'span'),
    vint(6, s.kind ?? 2),
    fixed64(7, s.start ?? 0n),
    fixed64(8, s.end ?? 0n),
    ...(s.extra ?? []),
  ]);
}

/** ExportTraceServiceRequest with one resource (service.name) and one scope around the spans. */
export function exportRequest(spans: Buffer[], serviceName = 'svc'): Buffer {
  const resource = len(1, keyValue('service.name', stringValue(serviceName)));
  const scopeSpans = Buffer.concat([
    len(1, Buffer.concat([len(1, 'scope'), len(2, '1.0')])),
    ...spans.map((s) => len(2, s)),
  ]);
  return len(1, Buffer.concat([len(1, resource), len(2, scopeSpans)]));
}

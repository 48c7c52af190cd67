import protobuf from 'protobufjs';
import { randomSpanId, randomTraceId } from '../../../shared/ids.js';
import { fixturePath } from '../../support/fixtures.js';

/**
 * OTLP test data: spans and requests in the OTLP/JSON shape, and their binary protobuf encoding
 * made by protobufjs from the OTLP messages in test/fixtures/otlp-proto (an encoder independent of the
 * collector's hand-written decoder).
 */
interface OtlpJsonValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
  bytesValue?: string;
  arrayValue?: { values: OtlpJsonValue[] };
  kvlistValue?: { values: OtlpJsonKeyValue[] };
}
interface OtlpJsonKeyValue {
  key: string;
  value: OtlpJsonValue;
}
export type OtlpJsonSpan = Record<string, unknown>;

const MS = 1_000_000n;

/** A valid OTLP/JSON span that started a second ago and took 5 ms; fields may be overridden. */
export function otlpSpan(overrides: OtlpJsonSpan = {}): OtlpJsonSpan {
  const start = BigInt(Date.now() - 1000) * MS;
  return {
    traceId: randomTraceId(),
    spanId: randomSpanId(),
    name: 'predict',
    kind: 2,
    startTimeUnixNano: String(start),
    endTimeUnixNano: String(start + 5n * MS),
    attributes: [{ key: 'ml.request.id', value: { stringValue: `req-${randomSpanId()}` } }],
    status: {},
    ...overrides,
  };
}

export function otlpRequest(spans: OtlpJsonSpan[], serviceName = 'model-a'): { resourceSpans: unknown[] } {
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: serviceName } }] },
        scopeSpans: [{ scope: { name: 'infertrace-test', version: '1.0.0' }, spans }],
      },
    ],
  };
}

/** The JSON text of nestedValue(depth), built as text (JSON.stringify would exhaust the stack). */
function nestedValueJson(depth: number): string {
  return `${'{"arrayValue":{"values":['.repeat(depth)}{"stringValue":"leaf"}${']}}'.repeat(depth)}`;
}

/** JSON text of `request` with the string "$DEEP$" replaced by a value nested `depth` levels. */
export function withDeepValue(request: unknown, depth: number): string {
  return JSON.stringify(request).replace('"$DEEP$"', nestedValueJson(depth));
}

let root: protobuf.Root | undefined;

function serviceType(name: string): protobuf.Type {
  if (root === undefined) {
    root = new protobuf.Root();
    root.resolvePath = (_origin, target) => fixturePath('otlp-proto', target);
    root.loadSync('opentelemetry/proto/collector/trace/v1/trace_service.proto', { keepCase: false });
  }
  return root.lookupType(`opentelemetry.proto.collector.trace.v1.${name}`);
}

const exportRequestType = (): protobuf.Type => serviceType('ExportTraceServiceRequest');

/** google.rpc.Status (code, message; details are not used here). */
const statusType = protobuf.Root.fromJSON({
  nested: { Status: { fields: { code: { type: 'int32', id: 1 }, message: { type: 'string', id: 2 } } } },
}).lookupType('Status');

/** Decodes an ExportTraceServiceResponse body (int64 as strings). */
export function decodeExportResponse(bytes: Buffer): {
  partialSuccess?: { rejectedSpans?: string; errorMessage?: string };
} {
  const type = serviceType('ExportTraceServiceResponse');
  return type.toObject(type.decode(bytes), { longs: String }) as {
    partialSuccess?: { rejectedSpans?: string; errorMessage?: string };
  };
}

/** Decodes a google.rpc.Status body. */
export function decodeStatus(bytes: Buffer): { code?: number; message?: string } {
  return statusType.toObject(statusType.decode(bytes)) as { code?: number; message?: string };
}

const ID_FIELDS = new Set(['traceId', 'spanId', 'parentSpanId']);

/** OTLP/JSON → protobufjs's object form: hex ids to bytes (OTLP's deviation from proto3 JSON). */
function toProtoObject(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => toProtoObject(v));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toProtoObject(v, k)]));
  }
  if (ID_FIELDS.has(key) && typeof value === 'string') return Buffer.from(value, 'hex');
  return value;
}

/** Encodes an OTLP/JSON ExportTraceServiceRequest as binary protobuf. */
export function encodeOtlpProtobuf(request: unknown): Buffer {
  const type = exportRequestType();
  const message = type.fromObject(toProtoObject(request) as Record<string, unknown>);
  return Buffer.from(type.encode(message).finish());
}

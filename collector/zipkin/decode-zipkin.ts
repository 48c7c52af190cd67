import { valueShape } from '../../shared/value-shape.js';
import { RESOURCE } from '../../shared/attribute-keys.js';
import type { Attributes, SpanEvent, SpanKind, SpanRecord } from '../../shared/span-record.js';
import { UNKNOWN_SERVICE } from '../../shared/span-record.js';
import { microsToNano } from '../../shared/time.js';
import { setAttribute } from '../receiver/attribute-map.js';
import type { DecodeMeter } from '../receiver/decode-meter.js';
import { badPayload } from '../receiver/ingest-errors.js';
import { parseMeteredJson } from '../receiver/metered-json.js';
import type { SpanCandidate } from '../receiver/validate.js';
import { reject } from '../receiver/validate.js';

/**
 * Maps Zipkin v2 JSON spans (zipkin2-api.yaml) into span records: the OpenTelemetry → Zipkin
 * mapping (propagation/zipkin-exporter-mapping.md) run in reverse.
 * - kind: CLIENT/SERVER/PRODUCER/CONSUMER as they are; absent → INTERNAL.
 * - 64-bit trace ids are left-padded with zeros to 128 bits.
 * - timestamp/duration (µs) → start/end (ns); an absent duration gives a zero-length span. An absent
 *   timestamp (the model allows it: late data about a span) gives an untimed span (see isUntimed):
 *   start 0, end = the duration; reads merge it into the timed span of the same id.
 * - localEndpoint.serviceName → serviceName and resource `service.name`; its address and port →
 *   `network.local.address` / `network.local.port`.
 * - remoteEndpoint.serviceName → `peer.service` (unless a `peer.service` tag is present); its
 *   address and port → `network.peer.address` / `network.peer.port`.
 * - tags → attributes, except: `otel.status_code` (OK/ERROR) and `error` (the description; any value
 *   but "false" means ERROR) → status; `otel.scope.name`/`otel.scope.version` (and the older
 *   `otel.library.*`) → scope.
 * - annotations → events; a value written as `"name": {json attributes}` is split back.
 * - `shared` → attribute `zipkin.shared` = true; `debug` → `zipkin.debug` = true.
 */
export const ZIPKIN_ATTRIBUTES = {
  shared: 'zipkin.shared',
  debug: 'zipkin.debug',
  peerService: 'peer.service',
  peerAddress: 'network.peer.address',
  peerPort: 'network.peer.port',
  localAddress: 'network.local.address',
  localPort: 'network.local.port',
} as const;

type JsonObject = Record<string, unknown>;
const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

const KINDS: Record<string, SpanKind> = {
  CLIENT: 'CLIENT',
  SERVER: 'SERVER',
  PRODUCER: 'PRODUCER',
  CONSUMER: 'CONSUMER',
};
const STATUS_TAG = 'otel.status_code';
const ERROR_TAG = 'error';
const SCOPE_TAGS = {
  name: ['otel.scope.name', 'otel.library.name'],
  version: ['otel.scope.version', 'otel.library.version'],
};

class FieldError extends Error {}

function text(v: unknown, field: string): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new FieldError(`${field} must be a string, got ${typeof v}`);
  return v;
}

function micros(v: unknown, field: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0)
    throw new FieldError(`${field} must be a non-negative number of microseconds`);
  return n;
}

/** 64-bit ids (16 hex digits) become 128-bit ones; anything else is left for validation to judge. */
function traceIdOf(v: unknown): string {
  const id = text(v, 'traceId').toLowerCase();
  return /^[0-9a-f]{16,31}$/.test(id) ? id.padStart(32, '0') : id;
}

function endpoint(v: unknown, field: string): JsonObject | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) throw new FieldError(`${field} must be an object`);
  return v;
}

function addEndpoint(attrs: Attributes, ep: JsonObject | undefined, address: string, port: string): void {
  if (ep === undefined) return;
  const ip = typeof ep.ipv6 === 'string' && ep.ipv6 !== '' ? ep.ipv6 : ep.ipv4;
  if (typeof ip === 'string' && ip !== '') attrs[address] = ip;
  if (typeof ep.port === 'number' && ep.port > 0) attrs[port] = ep.port;
}

function event(a: unknown): SpanEvent {
  if (!isObject(a)) throw new FieldError('annotations must hold {timestamp, value} objects');
  const value = text(a.value, 'annotation value');
  const at = microsToNano(micros(a.timestamp, 'annotation timestamp') ?? 0);
  const m = /^"((?:[^"\\]|\\.)*)": (\{.*\})$/s.exec(value);
  if (m) {
    try {
      const attrs = JSON.parse(m[2] as string) as unknown;
      if (isObject(attrs)) {
        const attributes: Attributes = {};
        for (const [k, v] of Object.entries(attrs)) {
          if (['string', 'number', 'boolean'].includes(typeof v))
            setAttribute(attributes, k, v as string | number | boolean);
        }
        return { timeUnixNano: at, name: JSON.parse(`"${m[1]}"`) as string, attributes };
      }
    } catch {
      // Not the OpenTelemetry form after all: keep the text as the event's name.
    }
  }
  return { timeUnixNano: at, name: value, attributes: {} };
}

function mapSpan(o: JsonObject, resources: Map<string, Attributes>): SpanCandidate {
  const localEp = isObject(o.localEndpoint) ? o.localEndpoint : undefined;
  const serviceName =
    typeof localEp?.serviceName === 'string' && localEp.serviceName !== '' ? localEp.serviceName : UNKNOWN_SERVICE;
  let resource = resources.get(serviceName);
  if (resource === undefined) {
    resource = serviceName === UNKNOWN_SERVICE ? {} : { [RESOURCE.serviceName]: serviceName };
    resources.set(serviceName, resource);
  }
  const span: SpanRecord = {
    traceId: typeof o.traceId === 'string' ? traceIdOf(o.traceId) : '',
    spanId: typeof o.id === 'string' ? o.id.toLowerCase() : '',
    parentSpanId: '',
    traceState: '',
    name: '',
    kind: 'INTERNAL',
    startTimeUnixNano: 0n,
    endTimeUnixNano: 0n,
    attributes: {},
    events: [],
    links: [],
    status: { code: 'UNSET', message: '' },
    flags: 0,
    serviceName,
    resource,
    scope: { name: '', version: '' },
  };
  let untimed = false;
  try {
    span.parentSpanId = text(o.parentId, 'parentId').toLowerCase();
    span.name = text(o.name, 'name');
    if (o.kind !== undefined && o.kind !== null) {
      const kind = typeof o.kind === 'string' ? KINDS[o.kind.toUpperCase()] : undefined;
      if (kind === undefined)
        throw new FieldError(`kind must be CLIENT, SERVER, PRODUCER or CONSUMER, got ${valueShape(o.kind)}`);
      span.kind = kind;
    }
    const start = micros(o.timestamp, 'timestamp');
    const duration = microsToNano(micros(o.duration, 'duration') ?? 0);
    if (start === undefined) untimed = true;
    span.startTimeUnixNano = start === undefined ? 0n : microsToNano(start);
    span.endTimeUnixNano = span.startTimeUnixNano + duration;
    const attrs = span.attributes;
    const tags = o.tags ?? {};
    if (!isObject(tags)) throw new FieldError('tags must be an object of strings');
    for (const [k, v] of Object.entries(tags)) {
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') setAttribute(attrs, k, v);
      else throw new FieldError(`tag "${k}" must be a string`);
    }
    applyStatusAndScope(span);
    addEndpoint(
      attrs,
      endpoint(o.localEndpoint, 'localEndpoint'),
      ZIPKIN_ATTRIBUTES.localAddress,
      ZIPKIN_ATTRIBUTES.localPort,
    );
    const remote = endpoint(o.remoteEndpoint, 'remoteEndpoint');
    if (
      typeof remote?.serviceName === 'string' &&
      remote.serviceName !== '' &&
      !(ZIPKIN_ATTRIBUTES.peerService in attrs)
    ) {
      attrs[ZIPKIN_ATTRIBUTES.peerService] = remote.serviceName;
    }
    addEndpoint(attrs, remote, ZIPKIN_ATTRIBUTES.peerAddress, ZIPKIN_ATTRIBUTES.peerPort);
    if (o.shared === true) attrs[ZIPKIN_ATTRIBUTES.shared] = true;
    if (o.debug === true) attrs[ZIPKIN_ATTRIBUTES.debug] = true;
    if (o.annotations !== undefined && o.annotations !== null) {
      if (!Array.isArray(o.annotations)) throw new FieldError('annotations must be an array');
      span.events = o.annotations.map(event);
    }
  } catch (err) {
    if (!(err instanceof FieldError)) throw err;
    return { span, problem: reject('malformed_span', err.message) };
  }
  return untimed ? { span, untimed } : { span };
}

/** Moves the status and scope tags the OpenTelemetry Zipkin exporter writes back into their fields. */
function applyStatusAndScope(span: SpanRecord): void {
  const attrs = span.attributes;
  const code = attrs[STATUS_TAG];
  if (code === 'OK' || code === 'ERROR') {
    span.status.code = code;
    delete attrs[STATUS_TAG];
  }
  const error = attrs[ERROR_TAG];
  if (error !== undefined) {
    delete attrs[ERROR_TAG];
    if (error !== false && error !== 'false') {
      span.status = { code: 'ERROR', message: error === true || error === 'true' ? '' : String(error) };
    }
  }
  for (const field of ['name', 'version'] as const) {
    for (const tag of SCOPE_TAGS[field]) {
      const v = attrs[tag];
      if (typeof v === 'string') {
        if (span.scope[field] === '') span.scope[field] = v;
        delete attrs[tag];
      }
    }
  }
}

/**
 * Decodes a Zipkin v2 JSON list of spans; throws bad_payload when the body is not one. With a
 * meter, values are counted before parsing and spans as they are mapped (too_many_values, too_many_spans).
 */
export function decodeZipkinSpans(body: Buffer, meter?: DecodeMeter): SpanCandidate[] {
  return [...zipkinSpans(parseMeteredJson(body, meter), meter)];
}

/** The spans of a parsed Zipkin v2 list, one at a time (so a caller can give way between them). */
export function* zipkinSpans(root: unknown, meter?: DecodeMeter): Generator<SpanCandidate> {
  if (!Array.isArray(root)) {
    const hint = isObject(root) && 'resourceSpans' in root ? ' (this looks like OTLP/JSON: send it to /v1/traces)' : '';
    throw badPayload(
      `a Zipkin v2 request must be a JSON array of spans, got ${root === null ? 'null' : typeof root}${hint}`,
    );
  }
  const resources = new Map<string, Attributes>();
  for (const [i, o] of root.entries()) {
    if (!isObject(o)) throw badPayload(`span ${i} must be an object, got ${Array.isArray(o) ? 'an array' : typeof o}`);
    meter?.span();
    yield mapSpan(o, resources);
  }
}

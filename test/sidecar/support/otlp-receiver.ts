import Fastify from 'fastify';
import { decodeProtobufRequest } from '../../../collector/otlp/decode-protobuf.js';
import { SPAN_KINDS, STATUS_CODES } from '../../../shared/span-record.js';

/**
 * An in-process OTLP/HTTP receiver for tests: accepts protobuf (the sidecar's default) and JSON on
 * /v1/traces, as the official exporters send them, and flattens the spans. Protobuf is decoded
 * with the collector's decoder. It counts requests per encoding and can be told to answer with an
 * error status.
 */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  /** OTLP SpanKind number: 2 SERVER, 3 CLIENT. */
  kind: number;
  attributes: Record<string, unknown>;
  status: { code: number; message?: string };
  events: { name: string; attributes: Record<string, unknown> }[];
  resource: Record<string, unknown>;
}

export interface OtlpReceiver {
  /** Full traces endpoint, for OTEL_EXPORTER_OTLP_TRACES_ENDPOINT. */
  endpoint: string;
  spans: ReceivedSpan[];
  /** Export requests received (including refused ones). */
  requests: number;
  /** Export requests received, by Content-Type media type. */
  mediaTypes: string[];
  /** Status to answer with from now on (200 accepts and records). */
  respondWith(status: number): void;
  /** Resolves once `predicate` holds for the spans received so far (checked as exports arrive). */
  waitFor(predicate: (spans: ReceivedSpan[]) => boolean): Promise<ReceivedSpan[]>;
  close(): Promise<void>;
}

type OtlpValue = {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values?: OtlpValue[] };
};
export type OtlpKv = { key: string; value: OtlpValue };

function value(v: OtlpValue): unknown {
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(value);
  return undefined;
}

/** OTLP/JSON attributes as a plain object (int64 as number). */
export function attrs(list: OtlpKv[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map((kv) => [kv.key, value(kv.value)]));
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 * 1024 });
  const spans: ReceivedSpan[] = [];
  const waiters: { predicate: (s: ReceivedSpan[]) => boolean; resolve: (s: ReceivedSpan[]) => void }[] = [];
  let status = 200;
  const state = { requests: 0 };
  const mediaTypes: string[] = [];
  app.addContentTypeParser('application/x-protobuf', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  const check = (): void => {
    for (const w of [...waiters]) {
      if (w.predicate(spans)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(spans);
      }
    }
  };
  app.post('/v1/traces', async (req, reply) => {
    state.requests += 1;
    mediaTypes.push(String(req.headers['content-type'] ?? '').split(';')[0] as string);
    if (status !== 200) return reply.code(status).send({ error: 'refused by the test' });
    if (Buffer.isBuffer(req.body)) {
      for (const { span } of decodeProtobufRequest(req.body)) {
        spans.push({
          traceId: span.traceId,
          spanId: span.spanId,
          parentSpanId: span.parentSpanId,
          name: span.name,
          kind: SPAN_KINDS.indexOf(span.kind),
          attributes: span.attributes,
          status: {
            code: STATUS_CODES.indexOf(span.status.code),
            ...(span.status.message ? { message: span.status.message } : {}),
          },
          events: span.events.map((e) => ({ name: e.name, attributes: e.attributes })),
          resource: span.resource,
        });
      }
      check();
      return {};
    }
    const body = req.body as {
      resourceSpans?: { resource?: { attributes?: OtlpKv[] }; scopeSpans?: { spans?: Record<string, unknown>[] }[] }[];
    };
    for (const rs of body.resourceSpans ?? []) {
      const resource = attrs(rs.resource?.attributes);
      for (const ss of rs.scopeSpans ?? []) {
        for (const s of ss.spans ?? []) {
          spans.push({
            traceId: String(s['traceId']),
            spanId: String(s['spanId']),
            parentSpanId: String(s['parentSpanId'] ?? ''),
            name: String(s['name']),
            kind: Number(s['kind']),
            attributes: attrs(s['attributes'] as OtlpKv[]),
            status: (s['status'] as { code: number; message?: string }) ?? { code: 0 },
            events: ((s['events'] as { name: string; attributes?: OtlpKv[] }[]) ?? []).map((e) => ({
              name: e.name,
              attributes: attrs(e.attributes),
            })),
            resource,
          });
        }
      }
    }
    check();
    return {};
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}/v1/traces`,
    spans,
    get requests() {
      return state.requests;
    },
    mediaTypes,
    respondWith(code: number) {
      status = code;
    },
    waitFor(predicate) {
      return new Promise((resolve) => {
        waiters.push({ predicate, resolve });
        check();
      });
    },
    close: () => app.close(),
  };
}

import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJsonRequest } from '../../../collector/otlp/decode-json.js';
import { decodeProtobufRequest } from '../../../collector/otlp/decode-protobuf.js';
import { IngestError } from '../../../collector/receiver/ingest-errors.js';
import { DEFAULT_LIMITS } from '../../../collector/receiver/validate.js';
import { readFixture } from '../../support/fixtures.js';
import type { CaptureServer } from '../support/capture-server.js';
import { startCaptureServer } from '../support/capture-server.js';
import { emitTrace } from '../support/otel-sdk.js';
import { encodeOtlpProtobuf, otlpRequest, otlpSpan } from '../support/otlp-factory.js';
import * as pb from '../support/proto-bytes.js';
import { recordsFromProtoText } from '../support/proto-text-records.js';
import { parseProtoText, protocAvailable, protocDecode, protocEncode } from '../support/protoc.js';

const spansOf = (body: Buffer) => decodeProtobufRequest(body).map((c) => c.span);

function expectBadPayload(body: Buffer): IngestError {
  try {
    decodeProtobufRequest(body);
  } catch (err) {
    expect(err).toBeInstanceOf(IngestError);
    expect((err as IngestError).code).toBe('bad_payload');
    return err as IngestError;
  }
  throw new Error('expected bad_payload');
}

describe('decodeProtobufRequest', () => {
  it('decodes the example trace (encoded by protobufjs from the OTLP messages) exactly as the JSON decoder reads it', () => {
    const text = readFixture('otlp', 'example-trace.json');
    const fromProtobuf = spansOf(encodeOtlpProtobuf(JSON.parse(text)));
    const fromJson = decodeJsonRequest(Buffer.from(text)).map((c) => c.span);
    expect(fromProtobuf).toEqual(fromJson);
    expect(fromProtobuf.map((s) => [s.traceId, s.spanId, s.kind, s.startTimeUnixNano, s.serviceName])).toStrictEqual([
      ['7d2a4c9e1b3f5a6c8e0d2f4b6a8c0e1d', 'a1b2c3d4e5f60718', 'SERVER', 1714564800000000000n, 'checkout'],
      ['7d2a4c9e1b3f5a6c8e0d2f4b6a8c0e1d', 'b2c3d4e5f6071829', 'CLIENT', 1714564800020000000n, 'checkout'],
    ]);
  });

  it('returns no spans for an empty request', () => {
    expect(decodeProtobufRequest(Buffer.alloc(0))).toEqual([]);
  });

  describe.skipIf(!protocAvailable)('against protoc (skipped: protoc from protobuf-compiler is not installed)', () => {
    it('decodes what protoc --encode writes, every value type included', () => {
      const text = `resource_spans {
        resource { attributes { key: "service.name" value { string_value: "svc-π" } } }
        scope_spans {
          spans {
            trace_id: "\\001\\002\\003\\004\\005\\006\\007\\010\\011\\012\\013\\014\\015\\016\\017\\020"
            span_id: "\\252\\273\\314\\335\\356\\377\\000\\001"
            parent_span_id: "\\021\\042\\063\\104\\125\\146\\167\\210"
            trace_state: "vendor=1"
            name: "predict"
            kind: SPAN_KIND_PRODUCER
            start_time_unix_nano: 1800000000123456789
            end_time_unix_nano: 1800000000999999999
            flags: 769
            attributes { key: "neg" value { int_value: -42 } }
            attributes { key: "big" value { int_value: 9007199254740991 } }
            attributes { key: "pi" value { double_value: 3.25 } }
            attributes { key: "yes" value { bool_value: true } }
            attributes { key: "raw" value { bytes_value: "\\000\\377" } }
            attributes { key: "arr" value { array_value { values { string_value: "a" } values { int_value: 2 } } } }
            attributes { key: "map" value { kvlist_value { values { key: "k" value { double_value: -0.5 } } } } }
            events { time_unix_nano: 1800000000500000000 name: "ev" attributes { key: "n" value { int_value: 1 } } }
            links { trace_id: "\\377\\377\\377\\377\\377\\377\\377\\377\\377\\377\\377\\377\\377\\377\\377\\376" span_id: "\\001\\001\\001\\001\\001\\001\\001\\001" trace_state: "t=2" }
            status { code: STATUS_CODE_ERROR message: "boom" }
          }
        }
      }`;
      const bytes = protocEncode(text);
      const expected = recordsFromProtoText(parseProtoText(protocDecode(bytes)));
      expect(spansOf(bytes)).toEqual(expected);
      const [span] = spansOf(bytes);
      expect(span?.attributes).toEqual({
        neg: -42,
        big: 9007199254740991,
        pi: 3.25,
        yes: true,
        raw: 'AP8=',
        arr: ['a', 2],
        map: { k: -0.5 },
      });
      expect(span?.flags).toBe(769);
      expect(span?.startTimeUnixNano).toBe(1800000000123456789n);
    });

    describe('bytes from the official @opentelemetry/exporter-trace-otlp-proto', () => {
      let capture: CaptureServer;
      beforeAll(async () => {
        capture = await startCaptureServer();
        await emitTrace(new OTLPTraceExporter({ url: `${capture.url}/v1/traces` }), 'proto-exporter', 'req-protoc');
      });
      afterAll(() => capture.close());

      it('decode to what protoc --decode reads from them', () => {
        expect(capture.requests.length).toBeGreaterThan(0);
        for (const { body, headers } of capture.requests) {
          expect(headers['content-type']).toBe('application/x-protobuf');
          const expected = recordsFromProtoText(parseProtoText(protocDecode(body)));
          expect(expected.length).toBeGreaterThan(0);
          expect(spansOf(body)).toEqual(expected);
        }
      });
    });
  });

  it('fails with bad_payload on every truncation of a valid request', () => {
    const body = encodeOtlpProtobuf(otlpRequest([otlpSpan(), otlpSpan()]));
    for (let cut = 1; cut < body.length; cut++) expectBadPayload(body.subarray(0, cut));
  });

  it.each([
    ['resource_spans as a varint', pb.vint(1, 5)],
    ['a span as a fixed32', pb.len(1, pb.len(2, pb.fixed32(2, 7)))],
    ['a start time as a varint', pb.exportRequest([Buffer.concat([pb.vint(7, 1)])])],
    ['a name as a fixed64', pb.exportRequest([pb.fixed64(5, 1n)])],
    ['wire type 7', Buffer.from([0x0f])],
    ['a group start', Buffer.from([0x0b])],
    ['an overlong varint', Buffer.concat([Buffer.from([0x08]), Buffer.alloc(11, 0xff)])],
    ['a length past the end', Buffer.from([0x0a, 0x7f, 0x00])],
  ])('fails with bad_payload on %s', (_name, body) => {
    expect(expectBadPayload(body).message.length).toBeGreaterThan(20);
  });

  it('skips unknown fields at every level and accepts fields in any order', () => {
    const start = 1_800_000_000_000_000_000n;
    const span = pb.span({
      name: 'late-scope',
      start,
      end: start + 10n,
      extra: [pb.vint(99, 1), pb.len(100, 'x'), pb.fixed32(101, 1), pb.fixed64(102, 1n)],
    });
    const scopeSpans = Buffer.concat([pb.len(2, span), pb.len(1, pb.len(1, 'scope-after-spans')), pb.vint(77, 3)]);
    const resource = pb.len(1, pb.keyValue('service.name', pb.stringValue('svc-after')));
    const body = Buffer.concat([
      pb.vint(50, 1),
      pb.len(1, Buffer.concat([pb.len(2, scopeSpans), pb.len(1, resource), pb.len(55, 'zz')])),
    ]);
    const [decoded] = spansOf(body);
    expect(decoded?.name).toBe('late-scope');
    expect(decoded?.scope.name).toBe('scope-after-spans');
    expect(decoded?.serviceName).toBe('svc-after');
    expect(decoded?.endTimeUnixNano).toBe(start + 10n);
  });

  it.each([
    ['a kind out of range', pb.span({ kind: 9 }), /kind 9/],
    ['a status code out of range', pb.span({ extra: [pb.len(15, pb.vint(3, 7))] }), /status code 7/],
  ])('marks only the span with %s', (_name, bad, message) => {
    const good = pb.span({ spanId: '1111111111111111' });
    const [first, second] = decodeProtobufRequest(pb.exportRequest([bad, good]));
    expect(first?.problem?.message).toMatch(message);
    expect(second?.problem).toBeUndefined();
  });

  it('rejects a value nested 100,000 levels deep without decoding it, keeping its neighbour', () => {
    const deep = pb.span({
      extra: [
        pb.len(9, pb.keyValue('deep', pb.nestedAnyValue(100_000))),
        pb.len(9, pb.keyValue('after', pb.stringValue('kept'))),
      ],
    });
    const [first, second] = decodeProtobufRequest(pb.exportRequest([deep, pb.span({ spanId: '2222222222222222' })]));
    expect(first?.problem?.code).toBe('attribute_over_limit');
    expect(first?.span.attributes.after).toBe('kept');
    expect(second?.problem).toBeUndefined();
  });

  it('decodes a value nested exactly to the limit', () => {
    const ok = pb.span({ extra: [pb.len(9, pb.keyValue('deep', pb.nestedAnyValue(DEFAULT_LIMITS.maxDepth)))] });
    const [c] = decodeProtobufRequest(pb.exportRequest([ok]));
    expect(c?.problem).toBeUndefined();
    expect(JSON.stringify(c?.span.attributes.deep)).toBe(
      `${'['.repeat(DEFAULT_LIMITS.maxDepth)}"leaf"${']'.repeat(DEFAULT_LIMITS.maxDepth)}`,
    );
  });

  it('keeps an attribute named __proto__ as an ordinary attribute', () => {
    const [c] = decodeProtobufRequest(
      pb.exportRequest([pb.span({ extra: [pb.len(9, pb.keyValue('__proto__', pb.stringValue('x')))] })]),
    );
    expect(Object.keys(c?.span.attributes ?? {})).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(c?.span.attributes)).toBe(Object.prototype);
  });
});

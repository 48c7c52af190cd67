import { describe, expect, it } from 'vitest';
import { decodeJsonRequest } from '../../../collector/otlp/decode-json.js';
import { IngestError } from '../../../collector/receiver/ingest-errors.js';
import { readFixture } from '../../support/fixtures.js';
import { otlpRequest, otlpSpan, withDeepValue } from '../support/otlp-factory.js';

const body = (value: unknown): Buffer => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
// Strings are sent as they are (JSON text); anything else is serialised first.
const decode = (value: unknown) => decodeJsonRequest(body(value));

describe('decodeJsonRequest', () => {
  it('reads the example trace field by field', () => {
    const resource = {
      'service.name': 'checkout',
      'service.version': '4.2.0',
      'host.name': 'node-7',
      'process.pid': 4242,
    };
    const scope = { name: 'checkout.http', version: '2.3.0' };
    const candidates = decodeJsonRequest(Buffer.from(readFixture('otlp', 'example-trace.json')));
    expect(candidates.map((c) => c.problem)).toStrictEqual([undefined, undefined]);
    expect(candidates.map((c) => c.span)).toStrictEqual([
      {
        traceId: '7d2a4c9e1b3f5a6c8e0d2f4b6a8c0e1d',
        spanId: 'a1b2c3d4e5f60718',
        parentSpanId: '0f1e2d3c4b5a6978',
        traceState: 'vendor=checkout',
        name: 'POST /checkout',
        kind: 'SERVER',
        startTimeUnixNano: 1714564800000000000n,
        endTimeUnixNano: 1714564800250000000n,
        attributes: {
          'http.request.method': 'POST',
          'http.response.status_code': 200,
          'checkout.basket.total': 31.5,
          'checkout.express': true,
          'checkout.token': 'AAEC/w==',
          'checkout.skus': ['sku-1', 3],
          'checkout.shipping': { carrier: 'post', days: 2 },
        },
        events: [{ timeUnixNano: 1714564800100000000n, name: 'basket.validated', attributes: { items: 2 } }],
        links: [
          {
            traceId: '11111111111111112222222222222222',
            spanId: '3333333333333333',
            traceState: 'origin=cart',
            attributes: { 'link.reason': 'resumed cart' },
          },
        ],
        status: { code: 'OK', message: '' },
        flags: 769,
        serviceName: 'checkout',
        resource,
        scope,
      },
      {
        traceId: '7d2a4c9e1b3f5a6c8e0d2f4b6a8c0e1d',
        spanId: 'b2c3d4e5f6071829',
        parentSpanId: 'a1b2c3d4e5f60718',
        traceState: '',
        name: 'GET /inventory',
        kind: 'CLIENT',
        startTimeUnixNano: 1714564800020000000n,
        endTimeUnixNano: 1714564800080000000n,
        attributes: { 'server.address': 'inventory.internal' },
        events: [
          {
            timeUnixNano: 1714564800079000000n,
            name: 'exception',
            attributes: { 'exception.message': 'stock service slow' },
          },
        ],
        links: [],
        status: { code: 'ERROR', message: 'upstream 503' },
        flags: 0,
        serviceName: 'checkout',
        resource,
        scope,
      },
    ]);
  });

  it.each([
    ['a decimal string', '1800000000123456789', 1800000000123456789n],
    ['a number', 1800000000000000000, 1800000000000000000n],
  ])('reads int64 times written as %s', (_name, value, expected) => {
    const [c] = decode(otlpRequest([otlpSpan({ startTimeUnixNano: value, endTimeUnixNano: value })]));
    expect(c?.span.startTimeUnixNano).toBe(expected);
  });

  it('reads every AnyValue kind, int64 as string or number', () => {
    const attributes = [
      { key: 's', value: { stringValue: 'x' } },
      { key: 'i1', value: { intValue: '-7' } },
      { key: 'i2', value: { intValue: 12 } },
      { key: 'd', value: { doubleValue: 0.25 } },
      { key: 'nan', value: { doubleValue: 'NaN' } },
      { key: 'b', value: { boolValue: false } },
      { key: 'bytes', value: { bytesValue: 'AP8=' } },
      { key: 'arr', value: { arrayValue: { values: [{ intValue: 1 }, { stringValue: 'y' }] } } },
      { key: 'map', value: { kvlistValue: { values: [{ key: 'k', value: { boolValue: true } }] } } },
      { key: 'empty', value: {} },
    ];
    const [c] = decode(otlpRequest([otlpSpan({ attributes })]));
    expect(c?.span.attributes).toEqual({
      s: 'x',
      i1: -7,
      i2: 12,
      d: 0.25,
      nan: Number.NaN,
      b: false,
      bytes: 'AP8=',
      arr: [1, 'y'],
      map: { k: true },
      empty: null,
    });
  });

  it('lower-cases hex ids, reads integer and named enums, and ignores unknown fields', () => {
    const span = otlpSpan({
      traceId: '5B8EFFF798038103D269B633813FC60C',
      spanId: 'EEE19B7EC3C1B174',
      kind: 'SPAN_KIND_CLIENT',
      status: { code: 2, message: 'bad', futureField: 1 },
      somethingNew: { nested: true },
      events: [{ timeUnixNano: '1800000000000000000', name: 'e', attributes: [], droppedAttributesCount: 3 }],
      links: [{ traceId: 'AB'.repeat(16), spanId: 'CD'.repeat(8), attributes: [] }],
      flags: 257,
    });
    const [c] = decode({ ...otlpRequest([span]), unknownTopLevel: [1, 2] });
    expect(c?.problem).toBeUndefined();
    expect(c?.span).toMatchObject({
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: 'eee19b7ec3c1b174',
      kind: 'CLIENT',
      status: { code: 'ERROR', message: 'bad' },
      flags: 257,
      links: [{ traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), traceState: '', attributes: {} }],
    });
  });

  it.each([
    ['not JSON', '{"resourceSpans": ['],
    ['an array (a Zipkin payload)', [{ traceId: 'a', id: 'b' }]],
    ['a string', 'hello'],
    ['null', null],
    ['resourceSpans as a number', { resourceSpans: 5 }],
    ['a resourceSpans entry that is a string', { resourceSpans: ['x'] }],
    ['scopeSpans as an object', { resourceSpans: [{ scopeSpans: {} }] }],
    ['spans as a string', { resourceSpans: [{ scopeSpans: [{ spans: 'x' }] }] }],
    ['a span that is an array', { resourceSpans: [{ scopeSpans: [{ spans: [[]] }] }] }],
  ])('fails with bad_payload on %s', (_name, value) => {
    const run = (): unknown =>
      decode(typeof value === 'string' && value.startsWith('{') ? value : JSON.stringify(value));
    expect(run).toThrow(IngestError);
    try {
      run();
    } catch (err) {
      expect((err as IngestError).code).toBe('bad_payload');
      expect((err as IngestError).status).toBe(400);
    }
  });

  it('accepts an empty object as an empty request', () => {
    expect(decode({})).toEqual([]);
  });

  it.each([
    ['a numeric name', { name: 5 }, /name must be a string/],
    ['a kind out of range', { kind: 9 }, /kind must be one of 0-5, got a whole number/],
    ['a negative start time', { startTimeUnixNano: '-5' }, /startTimeUnixNano/],
    ['a fractional start time', { startTimeUnixNano: 1.5 }, /startTimeUnixNano/],
    ['attributes as an object', { attributes: { a: 1 } }, /attributes must be an array/],
    ['an attribute value that is a string', { attributes: [{ key: 'a', value: 'x' }] }, /AnyValue/],
    ['a boolValue that is a string', { attributes: [{ key: 'a', value: { boolValue: 'yes' } }] }, /boolValue/],
    ['an intValue that is not an integer', { attributes: [{ key: 'a', value: { intValue: '1.5' } }] }, /intValue/],
    ['a status that is a string', { status: 'ERROR' }, /status/],
    ['events that are strings', { events: ['x'] }, /events/],
  ])('rejects only the span with %s', (_name, fields, message) => {
    const [bad, good] = decode(otlpRequest([otlpSpan(fields), otlpSpan()]));
    expect(bad?.problem?.code).toBe('malformed_span');
    expect(bad?.problem?.message).toMatch(message);
    expect(good?.problem).toBeUndefined();
  });

  it('rejects a value nested 100,000 levels deep without walking it, keeping its neighbour', () => {
    const text = withDeepValue(
      otlpRequest([otlpSpan({ attributes: [{ key: 'deep', value: '$DEEP$' }] }), otlpSpan()]),
      100_000,
    );
    const [bad, good] = decode(text);
    expect(bad?.problem?.code).toBe('attribute_over_limit');
    expect(bad?.problem?.message).toContain('"deep"');
    expect(good?.problem).toBeUndefined();
  });

  it('rejects every span of a resource whose attributes are malformed', () => {
    const request = otlpRequest([otlpSpan(), otlpSpan()]);
    (request.resourceSpans[0] as { resource: unknown }).resource = { attributes: [{ key: 'service.name', value: 7 }] };
    const out = decode(request);
    expect(out.map((c) => c.problem?.code)).toEqual(['malformed_span', 'malformed_span']);
  });
});

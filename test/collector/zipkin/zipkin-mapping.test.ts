import { describe, expect, it } from 'vitest';
import { rankedRemoteEndpoint, remoteEndpoint } from '../../../collector/zipkin/zipkin-endpoints.js';
import { toZipkinSpan, toZipkinSpans, toZipkinTags } from '../../../collector/zipkin/zipkin-mapping.js';
import { fixtureSpans } from '../support/decode-otlp-json.js';
import { makeSpan } from '../support/span-builder.js';
import { zipkinProblems, zipkinSchemas } from '../support/zipkin-schema.js';

describe('OTLP → Zipkin v2', () => {
  it('maps a whole inference span, and the body validates against zipkin2-api.yaml', () => {
    const span = makeSpan({
      parentSpanId: '1111111111111111',
      attributes: {
        'ml.model.name': 'iris',
        'ml.batch.size': 2,
        'ml.input.petal_length': [1.4, 4.7],
        'ml.capture': 'full',
        'client.address': '10.0.0.7',
        'client.port': 51234,
        retried: false,
      },
      events: [{ timeUnixNano: 1_706_678_909_210_000_000n, name: 'body.received', attributes: {} }],
      status: { code: 'ERROR', message: 'model answered 500' },
      resource: { 'service.name': 'iris-sidecar', 'k8s.pod.name': 'iris-0' },
    });
    const body = toZipkinSpans([span]);
    expect(body).toStrictEqual([
      {
        traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
        id: '00f067aa0ba902b7',
        parentId: '1111111111111111',
        name: 'POST /v2/models/iris/infer',
        kind: 'SERVER',
        timestamp: 1_706_678_909_209_712,
        duration: 10_123,
        localEndpoint: { serviceName: 'iris-sidecar' },
        remoteEndpoint: { ipv4: '10.0.0.7', port: 51234 },
        annotations: [{ timestamp: 1_706_678_909_210_000, value: 'body.received' }],
        tags: {
          'k8s.pod.name': 'iris-0',
          'ml.model.name': 'iris',
          'ml.batch.size': '2',
          'ml.input.petal_length': '[1.4,4.7]',
          'ml.capture': 'full',
          'client.address': '10.0.0.7',
          'client.port': '51234',
          retried: 'false',
          'otel.scope.name': 'infertrace-sidecar',
          'otel.scope.version': '0.1.0',
          'otel.status_code': 'ERROR',
          error: 'model answered 500',
        },
      },
    ]);
    expect(zipkinProblems(zipkinSchemas.listOfSpans, body)).toBe('');
  });

  it.each([
    ['SERVER', 'SERVER'],
    ['CLIENT', 'CLIENT'],
    ['PRODUCER', 'PRODUCER'],
    ['CONSUMER', 'CONSUMER'],
    ['INTERNAL', undefined],
    ['UNSPECIFIED', undefined],
  ] as const)('maps kind %s to %s', (kind, want) => {
    expect(toZipkinSpan(makeSpan({ kind })).kind).toBe(want);
  });

  it.each([
    ['UNSET', '', {}],
    ['OK', '', { 'otel.status_code': 'OK' }],
    ['ERROR', '', { 'otel.status_code': 'ERROR', error: '' }],
    ['ERROR', 'boom', { 'otel.status_code': 'ERROR', error: 'boom' }],
  ] as const)('status %s with message %j gives tags %j', (code, message, want) => {
    const span = makeSpan({ status: { code, message }, scope: { name: '', version: '' } });
    expect(toZipkinTags(span)).toStrictEqual(want);
  });

  it.each([
    ['a boolean false', false],
    ['a text "false"', 'false'],
  ])('drops an `error` attribute that is %s', (_label, value) => {
    const span = makeSpan({ attributes: { error: value }, scope: { name: '', version: '' } });
    expect(toZipkinTags(span)).toStrictEqual({});
  });

  it.each([
    ['peer.service first', { 'peer.service': 'iris-model', 'server.address': 'model' }, { serviceName: 'iris-model' }],
    [
      'server.address with its port',
      { 'server.address': 'model.local', 'server.port': 8000 },
      { serviceName: 'model.local', port: 8000 },
    ],
    [
      'server.address as an IP',
      { 'server.address': '127.0.0.1', 'server.port': '8000' },
      { serviceName: '127.0.0.1', ipv4: '127.0.0.1', port: 8000 },
    ],
    ['net.peer.name', { 'net.peer.name': 'model', 'db.name': 'x' }, { serviceName: 'model' }],
    [
      'network.peer.address combined with its port',
      { 'network.peer.address': '::1', 'network.peer.port': 9 },
      { serviceName: '::1:9', ipv6: '::1', port: 9 },
    ],
    [
      'network.peer.address alone',
      { 'network.peer.address': '10.1.2.3' },
      { serviceName: '10.1.2.3', ipv4: '10.1.2.3' },
    ],
    ['server.socket.domain', { 'server.socket.domain': 'sock.local' }, { serviceName: 'sock.local' }],
    [
      'server.socket.address',
      { 'server.socket.address': '10.0.0.1', 'server.socket.port': 1 },
      { serviceName: '10.0.0.1:1', ipv4: '10.0.0.1', port: 1 },
    ],
    ['net.sock.peer.name', { 'net.sock.peer.name': 'peer' }, { serviceName: 'peer' }],
    [
      'net.sock.peer.addr',
      { 'net.sock.peer.addr': '::ffff:10.0.0.2' },
      { serviceName: '::ffff:10.0.0.2', ipv4: '10.0.0.2' },
    ],
    ['peer.hostname', { 'peer.hostname': 'h', 'peer.address': 'a' }, { serviceName: 'h' }],
    ['peer.address', { 'peer.address': 'a', 'db.name': 'features' }, { serviceName: 'a' }],
    ['db.name last', { 'db.name': 'features' }, { serviceName: 'features' }],
    ['nothing', { 'http.route': '/x' }, undefined],
  ])('ranks the remote endpoint: %s', (_label, attributes, want) => {
    expect(rankedRemoteEndpoint(attributes)).toStrictEqual(want);
  });

  it.each([
    [
      'a server span: its caller',
      'SERVER',
      { 'peer.service': 'web', 'client.address': '10.0.0.9' },
      { serviceName: 'web', ipv4: '10.0.0.9' },
    ],
    ['a server span: a host name is not an address', 'SERVER', { 'client.address': 'web.local' }, undefined],
    ['a client span: the ranking', 'CLIENT', { 'server.address': 'model' }, { serviceName: 'model' }],
    ['a producer span: the broker', 'PRODUCER', { 'peer.service': 'kafka' }, { serviceName: 'kafka' }],
    ['an internal span: none', 'INTERNAL', { 'peer.service': 'x' }, undefined],
  ] as const)('sets the remote endpoint of %s', (_label, kind, attributes, want) => {
    expect(remoteEndpoint(makeSpan({ kind, attributes }))).toStrictEqual(want);
  });

  it.each([
    ['1234 ns as 1 µs', 1_234n, 1],
    ['999 ns rounded up to 1 µs', 999n, 1],
    ['2 ms', 2_000_000n, 2_000],
    ['no time at all as absent', 0n, undefined],
  ])('writes a duration of %s', (_label, ns, want) => {
    const start = 1_000_000_000_000n;
    expect(toZipkinSpan(makeSpan({ startTimeUnixNano: start, endTimeUnixNano: start + ns })).duration).toBe(want);
  });

  it('writes events with attributes as "name": {json} annotations, once each', () => {
    const event = { timeUnixNano: 5_000n, name: 'retry', attributes: { attempt: 2, reason: 'reset' } };
    const annotations = toZipkinSpan(makeSpan({ events: [event, event] })).annotations;
    expect(annotations).toStrictEqual([{ timestamp: 5, value: '"retry": {"attempt":2,"reason":"reset"}' }]);
    expect(zipkinProblems(zipkinSchemas.listOfSpans, [toZipkinSpan(makeSpan({ events: [event, event] }))])).toBe('');
  });

  it('omits what is empty: parent, annotations, tags, remote endpoint', () => {
    const span = makeSpan({ kind: 'INTERNAL', scope: { name: '', version: '' } });
    expect(Object.keys(toZipkinSpan(span)).sort()).toStrictEqual([
      'duration',
      'id',
      'localEndpoint',
      'name',
      'timestamp',
      'traceId',
    ]);
  });

  it('marks a server span that shares its id with a client span as shared', () => {
    const client = makeSpan({ kind: 'CLIENT', serviceName: 'web', resource: { 'service.name': 'web' } });
    const server = makeSpan({ kind: 'SERVER' });
    const body = toZipkinSpans([client, server]);
    expect(body.map((s) => [s.kind, s.shared])).toStrictEqual([
      ['CLIENT', undefined],
      ['SERVER', true],
    ]);
    expect(zipkinProblems(zipkinSchemas.listOfSpans, body)).toBe('');
  });

  it.each([
    ['the Jaeger golden input', ['jaeger', 'otlp-in.json']],
    ['the OTLP example trace', ['otlp', 'example-trace.json']],
  ])('produces a valid body from %s', (_label, path) => {
    const spans = fixtureSpans(...path);
    const body = toZipkinSpans(spans);
    expect(body.length).toBe(spans.length);
    expect(zipkinProblems(zipkinSchemas.listOfSpans, body)).toBe('');
  });
});

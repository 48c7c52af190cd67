import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFixtureJson } from '../../support/fixtures.js';
import type { CaptureServer } from '../support/capture-server.js';
import { startCaptureServer } from '../support/capture-server.js';
import { emitTrace } from '../support/otel-sdk.js';
import { zipkinProblems, zipkinSchemas } from '../support/zipkin-schema.js';

describe('the Zipkin schema used by the tests', () => {
  it.each(['clock-skew.json', 'messaging.json', 'db-calls.json', 'proxy-single.json'])(
    'accepts the fixture trace %s',
    (file) => {
      expect(zipkinProblems(zipkinSchemas.listOfSpans, readFixtureJson('zipkin', file))).toBe('');
    },
  );

  describe('bodies of the official @opentelemetry/exporter-zipkin', () => {
    let capture: CaptureServer;
    beforeAll(async () => {
      capture = await startCaptureServer();
      await emitTrace(new ZipkinExporter({ url: `${capture.url}/api/v2/spans` }), 'schema-check', 'req-schema');
    });
    afterAll(() => capture.close());

    it('are accepted', () => {
      expect(capture.requests.length).toBeGreaterThan(0);
      for (const { body } of capture.requests)
        expect(zipkinProblems(zipkinSchemas.listOfSpans, JSON.parse(body.toString('utf8')))).toBe('');
    });
  });

  it.each([
    ['a span without an id', [{ traceId: '4bf92f3577b34da6' }], 'id'],
    ['an upper-case trace id', [{ traceId: 'ABCDEF0123456789', id: '00f067aa0ba902b7' }], 'pattern'],
    ['a trace id of 20 digits', [{ traceId: '4bf92f3577b34da6a3ce', id: '00f067aa0ba902b7' }], 'pattern'],
    ['a span id with a prefix', [{ traceId: '4bf92f3577b34da6', id: 'x00f067aa0ba902b' }], 'pattern'],
    ['a zero duration', [{ traceId: '4bf92f3577b34da6', id: '00f067aa0ba902b7', duration: 0 }], 'duration'],
    ['a kind LOCAL', [{ traceId: '4bf92f3577b34da6', id: '00f067aa0ba902b7', kind: 'LOCAL' }], 'allowed values'],
    ['a non-string tag', [{ traceId: '4bf92f3577b34da6', id: '00f067aa0ba902b7', tags: { a: 1 } }], 'string'],
    [
      'an annotation without a value',
      [{ traceId: '4bf92f3577b34da6', id: '00f067aa0ba902b7', annotations: [{ timestamp: 1 }] }],
      'value',
    ],
    ['a bad ipv4', [{ traceId: '4bf92f3577b34da6', id: '00f067aa0ba902b7', localEndpoint: { ipv4: 'x' } }], 'ipv4'],
  ])('rejects %s', (_label, body, word) => {
    expect(zipkinProblems(zipkinSchemas.listOfSpans, body)).toContain(word);
  });

  it.each([
    ['a dependency link without callCount', zipkinSchemas.dependencies, [{ parent: 'a', child: 'b' }], 'callCount'],
    ['a service name that is a number', zipkinSchemas.services, ['a', 2], 'string'],
  ])('rejects %s', (_label, validate, body, word) => {
    expect(zipkinProblems(validate, body)).toContain(word);
  });
});

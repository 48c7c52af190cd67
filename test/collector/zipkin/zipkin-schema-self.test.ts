import { describe, expect, it } from 'vitest';
import { readSpecJson } from '../../support/specs.js';
import { zipkinProblems, zipkinSchemas } from '../support/zipkin-schema.js';

describe('the Zipkin schema used by the tests', () => {
  it.each(['envoy.json', 'messaging.json', 'simple-db-p6.json', 'skew.json'])('accepts the reference trace %s', (file) => {
    expect(zipkinProblems(zipkinSchemas.listOfSpans, readSpecJson('zipkin', 'testdata', file))).toBe('');
  });

  it.each([
    ['a span without an id', [{ traceId: '4bf92f3577b34da6' }], 'id'],
    ['an upper-case trace id', [{ traceId: 'ABCDEF0123456789', id: '00f067aa0ba902b7' }], 'pattern'],
    ['a zero duration', [{ traceId: '4bf92f3577b34da6', id: '00f067aa0ba902b7', duration: 0 }], 'duration'],
    ['a non-string tag', [{ traceId: '4bf92f3577b34da6', id: '00f067aa0ba902b7', tags: { a: 1 } }], 'string'],
    ['a bad ipv4', [{ traceId: '4bf92f3577b34da6', id: '00f067aa0ba902b7', localEndpoint: { ipv4: 'x' } }], 'ipv4'],
  ])('rejects %s', (_label, body, word) => {
    expect(zipkinProblems(zipkinSchemas.listOfSpans, body)).toContain(word);
  });
});

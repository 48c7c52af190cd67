import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IngestError } from '../../../collector/receiver/ingest-errors.js';
import { partitionSpans } from '../../../collector/receiver/validate.js';
import { decodeZipkinSpans, ZIPKIN_ATTRIBUTES } from '../../../collector/zipkin/decode-zipkin.js';
import { nowNano } from '../../../shared/time.js';
import { fixturePath, readFixture } from '../../support/fixtures.js';

interface ZipkinEndpoint {
  serviceName?: string;
  ipv4?: string;
  ipv6?: string;
  port?: number;
}
interface ZipkinSpan {
  traceId: string;
  id: string;
  parentId?: string;
  name?: string;
  kind?: string;
  timestamp?: number;
  duration?: number;
  shared?: boolean;
  localEndpoint?: ZipkinEndpoint;
  remoteEndpoint?: ZipkinEndpoint;
  tags?: Record<string, string>;
  annotations?: { timestamp: number; value: string }[];
}

const testdata = readdirSync(fixturePath('zipkin')).filter((f) => f.endsWith('.json'));
const decode = (value: unknown) => decodeZipkinSpans(Buffer.from(JSON.stringify(value)));
const base: ZipkinSpan = {
  traceId: '463ac35c9f6413ad',
  id: 'a2fb4a1d1a96d312',
  timestamp: 1_800_000_000_000_000,
  duration: 1500,
};

describe('decodeZipkinSpans', () => {
  it('finds the Zipkin fixture files', () => {
    expect(testdata.length).toBeGreaterThanOrEqual(4);
  });

  it.each(testdata)('ingests %s cleanly, every field mapped', (file) => {
    const raw = JSON.parse(readFixture('zipkin', file)) as ZipkinSpan[];
    const candidates = decodeZipkinSpans(Buffer.from(readFixture('zipkin', file)));
    const { accepted, rejected } = partitionSpans(candidates, nowNano());
    expect(rejected).toEqual([]);
    expect(accepted).toHaveLength(raw.length);
    raw.forEach((z, i) => {
      const s = accepted[i];
      expect(s?.traceId).toBe(z.traceId.padStart(32, '0'));
      expect(s?.spanId).toBe(z.id);
      expect(s?.parentSpanId).toBe(z.parentId ?? '');
      expect(s?.name).toBe(z.name ?? '');
      expect(s?.kind).toBe(z.kind ?? 'INTERNAL');
      expect(s?.startTimeUnixNano).toBe(BigInt(z.timestamp ?? 0) * 1000n);
      expect(s?.endTimeUnixNano).toBe(BigInt((z.timestamp ?? 0) + (z.duration ?? 0)) * 1000n);
      expect(s?.serviceName).toBe(z.localEndpoint?.serviceName ?? 'unknown_service');
      for (const [k, v] of Object.entries(z.tags ?? {})) {
        // The status tags become the span's status (see the table below).
        if (k !== 'error' && k !== 'otel.status_code') expect(s?.attributes[k]).toBe(v);
      }
      if (z.tags?.error !== undefined) expect(s?.status.code).toBe('ERROR');
      if (z.remoteEndpoint?.serviceName)
        expect(s?.attributes[ZIPKIN_ATTRIBUTES.peerService]).toBe(
          z.tags?.['peer.service'] ?? z.remoteEndpoint.serviceName,
        );
      const peerIp = z.remoteEndpoint?.ipv6 ?? z.remoteEndpoint?.ipv4;
      if (peerIp) expect(s?.attributes[ZIPKIN_ATTRIBUTES.peerAddress]).toBe(peerIp);
      expect(s?.attributes[ZIPKIN_ATTRIBUTES.shared]).toBe(z.shared === true ? true : undefined);
    });
  });

  it.each([
    ['CLIENT', 'CLIENT'],
    ['SERVER', 'SERVER'],
    ['PRODUCER', 'PRODUCER'],
    ['CONSUMER', 'CONSUMER'],
    [undefined, 'INTERNAL'],
  ])('maps kind %s to %s', (kind, expected) => {
    const [c] = decode([{ ...base, ...(kind === undefined ? {} : { kind }) }]);
    expect(c?.span.kind).toBe(expected);
  });

  it.each([
    ['an error tag with a description', { error: 'timeout' }, { code: 'ERROR', message: 'timeout' }],
    ['an empty error tag', { error: '' }, { code: 'ERROR', message: '' }],
    ['error "false"', { error: 'false' }, { code: 'UNSET', message: '' }],
    ['otel.status_code OK', { 'otel.status_code': 'OK' }, { code: 'OK', message: '' }],
    [
      'otel.status_code ERROR with error',
      { 'otel.status_code': 'ERROR', error: 'boom' },
      { code: 'ERROR', message: 'boom' },
    ],
  ])('reads the status from %s and drops those tags', (_name, tags, status) => {
    const [c] = decode([{ ...base, tags: { ...tags, keep: 'me' } }]);
    expect(c?.span.status).toEqual(status);
    expect(c?.span.attributes).toEqual({ keep: 'me' });
  });

  it('maps endpoints, the scope tags, shared and debug, and annotations', () => {
    const [c] = decode([
      {
        ...base,
        kind: 'CLIENT',
        shared: true,
        debug: true,
        localEndpoint: { serviceName: 'frontend', ipv4: '10.0.0.1', port: 8080 },
        remoteEndpoint: { serviceName: 'model', ipv6: '::1', port: 9000 },
        tags: { 'otel.scope.name': 'lib', 'otel.scope.version': '2.0' },
        annotations: [
          { timestamp: base.timestamp! + 10, value: 'cache.miss' },
          { timestamp: base.timestamp! + 20, value: '"retry": {"attempt":2,"why":"503"}' },
        ],
      },
    ]);
    expect(c?.span.serviceName).toBe('frontend');
    expect(c?.span.resource).toEqual({ 'service.name': 'frontend' });
    expect(c?.span.scope).toEqual({ name: 'lib', version: '2.0' });
    expect(c?.span.attributes).toEqual({
      'network.local.address': '10.0.0.1',
      'network.local.port': 8080,
      'peer.service': 'model',
      'network.peer.address': '::1',
      'network.peer.port': 9000,
      'zipkin.shared': true,
      'zipkin.debug': true,
    });
    expect(c?.span.events).toEqual([
      { timeUnixNano: BigInt(base.timestamp! + 10) * 1000n, name: 'cache.miss', attributes: {} },
      { timeUnixNano: BigInt(base.timestamp! + 20) * 1000n, name: 'retry', attributes: { attempt: 2, why: '503' } },
    ]);
  });

  it('keeps an explicit peer.service tag over the remote endpoint', () => {
    const [c] = decode([{ ...base, remoteEndpoint: { serviceName: 'guess' }, tags: { 'peer.service': 'real' } }]);
    expect(c?.span.attributes['peer.service']).toBe('real');
  });

  it('pads 64-bit trace ids and lower-cases ids', () => {
    const [c] = decode([{ ...base, traceId: 'ABCDEF0123456789', id: 'A2FB4A1D1A96D312' }]);
    expect(c?.span.traceId).toBe('0000000000000000abcdef0123456789');
    expect(c?.span.spanId).toBe('a2fb4a1d1a96d312');
  });

  it.each([
    ['a kind that is not one of the four', { kind: 'LOCAL' }, /kind/],
    ['a string timestamp that is not a number', { timestamp: 'yesterday' }, /timestamp/],
    ['tags as an array', { tags: ['a'] }, /tags/],
    ['a tag that is an object', { tags: { a: { b: 1 } } }, /tag "a"/],
    ['annotations as an object', { annotations: {} }, /annotations/],
  ])('rejects only the span with %s', (_name, fields, message) => {
    const [bad, good] = decode([{ ...base, ...fields }, base]);
    expect(bad?.problem?.message).toMatch(message);
    expect(good?.problem).toBeUndefined();
  });

  it.each([
    ['tags only', { tags: { late: 'yes' } }, 0n],
    ['a duration', { duration: 40 }, 40_000n],
    ['annotations', { annotations: [{ timestamp: 1_800_000_000_000_010, value: 'ws' }] }, 0n],
  ])('accepts a span without timestamp (%s) as untimed: start 0, end = its duration', (_name, fields, end) => {
    const { traceId, id } = base;
    const candidates = decode([{ traceId, id, kind: 'SERVER', ...fields }]);
    expect(candidates[0]?.untimed).toBe(true);
    const { accepted, rejected } = partitionSpans(candidates, nowNano());
    expect(rejected).toEqual([]);
    expect(accepted[0]).toMatchObject({ startTimeUnixNano: 0n, endTimeUnixNano: end });
  });

  it.each([
    ['no id', { traceId: base.traceId }, 'bad_span_id'],
    ['no trace id', { id: base.id }, 'bad_trace_id'],
  ])('still rejects a span without timestamp that has %s (the model requires both)', (_name, span, code) => {
    const { rejected } = partitionSpans(decode([span]), nowNano());
    expect(rejected.map((r) => r.code)).toEqual([code]);
  });

  it.each([
    ['an object (OTLP/JSON)', { resourceSpans: [] }],
    ['a number', 5],
    ['an array holding a string', ['x']],
  ])('fails with bad_payload on %s', (_name, value) => {
    expect(() => decode(value)).toThrow(IngestError);
  });
});

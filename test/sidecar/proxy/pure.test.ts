import { describe, expect, it } from 'vitest';
import { endToEndHeaders } from '../../../sidecar/proxy/hop-by-hop.js';
import { modelRoute } from '../../../sidecar/proxy/model-path.js';
import { isValidRequestId, resolveRequestId } from '../../../sidecar/proxy/request-id.js';
import {
  methodAttributes,
  parseHostHeader,
  peerServiceOf,
  spanName,
  upstreamTarget,
} from '../../../sidecar/proxy/request-span.js';
import { toOtelAttributes } from '../../../sidecar/telemetry/otel-attribute-values.js';
import { withTraceMetric } from '../../../sidecar/proxy/server-timing.js';
import { classifyUpstreamError } from '../../../sidecar/proxy/upstream-errors.js';

describe('endToEndHeaders', () => {
  it.each([
    [
      'keeps end-to-end headers in order with their case',
      ['Content-Type', 'a/b', 'X-A', '1', 'X-A', '2'],
      ['Content-Type', 'a/b', 'X-A', '1', 'X-A', '2'],
    ],
    [
      'drops the fixed hop-by-hop set',
      [
        'Connection',
        'close',
        'Keep-Alive',
        't=1',
        'TE',
        'trailers',
        'Trailer',
        'x',
        'Transfer-Encoding',
        'chunked',
        'Upgrade',
        'h2c',
        'X',
        '1',
      ],
      ['X', '1'],
    ],
    ['drops Proxy-* headers', ['Proxy-Authorization', 'a', 'Proxy-Connection', 'b', 'X', '1'], ['X', '1']],
    [
      'drops headers named by Connection',
      ['Connection', 'X-Hop, x-other', 'X-Hop', '1', 'X-Other', '2', 'X-Keep', '3'],
      ['X-Keep', '3'],
    ],
    ['reads Buffers as latin1 byte-for-byte', [Buffer.from('X-B'), Buffer.from([0x63, 0xe9])], ['X-B', 'c\u00e9']],
  ])('%s', (_name, raw, expected) => {
    expect(endToEndHeaders(raw as (string | Buffer)[])).toEqual(expected);
  });

  it('also drops what the caller rewrites', () => {
    expect(
      endToEndHeaders(['Host', 'h', 'X-Request-Id', 'r', 'X', '1'], (n) => n === 'host' || n === 'x-request-id'),
    ).toEqual(['X', '1']);
  });
});

describe('peerServiceOf', () => {
  it.each<[string, string | undefined, string, string, string]>([
    ['the configured name wins', 'triton-gpu', '/v2/models/bert/infer', 'http://model:9000', 'triton-gpu'],
    ['else the model the path names', undefined, '/v2/models/bert/infer', 'http://model:9000', 'bert'],
    ['else the upstream host', undefined, '/predict', 'http://model:9000/prefix', 'model'],
    ['an IPv6 host without brackets', undefined, '/invocations', 'http://[::1]:9000', '::1'],
  ])('%s', (_name, configured, path, upstream, expected) => {
    expect(peerServiceOf(configured, modelRoute(path), upstreamTarget(upstream))).toBe(expected);
  });
});

describe('request ids', () => {
  it.each([
    ['req-1', true],
    ['a', true],
    ['x'.repeat(200), true],
    ['x'.repeat(201), false],
    ['', false],
    ['has space', false],
    ['tab\tx', false],
    ['é', false],
  ])('%j valid: %s', (id, valid) => {
    expect(isValidRequestId(id)).toBe(valid);
  });

  it('keeps one valid id, replaces anything else with a UUID v4', () => {
    expect(resolveRequestId('abc')).toEqual({ id: 'abc', fromClient: true });
    for (const bad of [undefined, 'bad id', ['a', 'b']]) {
      const r = resolveRequestId(bad);
      expect(r.fromClient).toBe(false);
      expect(r.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });
});

describe('server-timing', () => {
  const tp = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
  it.each([
    ['no upstream metrics', [], `trace;desc=${tp}`],
    [
      'appends to upstream metrics',
      ['db;dur=53, cache;desc="hit, miss"'],
      `db;dur=53, cache;desc="hit, miss", trace;desc=${tp}`,
    ],
    ['replaces an upstream trace metric', ['TRACE;desc=00-aa-bb-01', 'app;dur=2'], `app;dur=2, trace;desc=${tp}`],
  ])('%s', (_name, upstream, expected) => {
    expect(withTraceMetric(upstream, tp)).toBe(expected);
  });
});

describe('span naming and attributes', () => {
  it.each([
    ['POST', '/v2/models/{model}/infer', 'POST /v2/models/{model}/infer'],
    ['GET', undefined, 'GET'],
    ['PROPFIND', undefined, 'HTTP'],
  ])('%s %s → %s', (method, route, name) => {
    expect(spanName(method, route)).toBe(name);
  });

  it.each([
    ['GET', { 'http.request.method': 'GET' }],
    ['PROPFIND', { 'http.request.method': '_OTHER', 'http.request.method_original': 'PROPFIND' }],
  ])('method %s', (method, expected) => {
    expect(methodAttributes(method)).toEqual(expected);
  });

  it.each([
    ['model:8080', { address: 'model', port: 8080 }],
    ['model', { address: 'model' }],
    ['[::1]:9000', { address: '::1', port: 9000 }],
    [undefined, {}],
  ])('host header %j', (host, expected) => {
    expect(parseHostHeader(host)).toEqual(expected);
  });

  it('turns capture values into OpenTelemetry attribute values', () => {
    expect(toOtelAttributes({ s: 'a', n: 1, b: true, arr: [1, 2], mixed: [1, 'a'], obj: { k: 1 }, nil: null })).toEqual(
      {
        s: 'a',
        n: 1,
        b: true,
        arr: [1, 2],
        mixed: '[1,"a"]',
        obj: '{"k":1}',
      },
    );
  });

  it.each([
    ['an empty array passes', [], []],
    ['strings of one type pass', ['a', 'b'], ['a', 'b']],
    ['booleans of one type pass', [true, false], [true, false]],
    ['a null element makes JSON text', [1, null], '[1,null]'],
    ['a leading null makes JSON text', [null, 1], '[null,1]'],
    ['numbers then a boolean make JSON text', [1, 2, true], '[1,2,true]'],
    ['a nested array makes JSON text', [[1], [2]], '[[1],[2]]'],
  ])('array attribute: %s', (_name, value, expected) => {
    expect(toOtelAttributes({ v: value as never })).toEqual({ v: expected });
  });
});

describe('classifyUpstreamError', () => {
  const ctx = { upstream: 'http://model:9000', timeoutMs: 100, clientGone: false };
  const err = (code: string): Error => Object.assign(new Error(code), { code });
  it.each([
    ['ECONNREFUSED', 'upstream_unreachable', 502],
    ['ENOTFOUND', 'upstream_unreachable', 502],
    ['ECONNRESET', 'upstream_reset', 502],
    ['UND_ERR_SOCKET', 'upstream_reset', 502],
    ['UND_ERR_HEADERS_TIMEOUT', 'upstream_timeout', 504],
    ['UND_ERR_BODY_TIMEOUT', 'upstream_timeout', 504],
    ['UND_ERR_CONNECT_TIMEOUT', 'upstream_timeout', 504],
    ['SOMETHING_ELSE', 'upstream_error', 502],
  ])('%s → %s %d', (code, expected, status) => {
    const f = classifyUpstreamError(err(code), ctx);
    expect([f.spec.code, f.spec.status, f.cause]).toEqual([expected, status, code]);
    expect(f.message).toContain('http://model:9000');
  });

  it('looks inside AggregateError (IPv4 and IPv6 attempts)', () => {
    expect(classifyUpstreamError(new AggregateError([err('ECONNREFUSED'), err('ECONNREFUSED')]), ctx).spec.code).toBe(
      'upstream_unreachable',
    );
  });

  it('reports a client that went away as client_aborted', () => {
    expect(classifyUpstreamError(err('ECONNRESET'), { ...ctx, clientGone: true }).spec.code).toBe('client_aborted');
  });
});

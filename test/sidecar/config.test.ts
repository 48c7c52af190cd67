import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../shared/config.js';
import { loadSidecarConfig, parseResourceAttributes } from '../../sidecar/config.js';

const UP = 'http://127.0.0.1:9000';

describe('loadSidecarConfig', () => {
  it('fills every default', () => {
    const c = loadSidecarConfig({}, { INFERTRACE_UPSTREAM: UP });
    expect(c).toMatchObject({
      listen: { host: '0.0.0.0', port: 8080 },
      upstream: UP,
      adminPort: 9464,
      adminHost: '127.0.0.1',
      upstreamTimeoutMs: 30_000,
      upstreamConnections: 128,
      drainTimeoutMs: 10_000,
      clientBodyTimeoutMs: 60_000,
      clientIdleTimeoutMs: 10_000,
      requestBufferBytes: 64 * 1024,
      maxInjectedHeaderBytes: 10 * 1024,
      telemetry: {
        serviceName: 'infertrace-sidecar',
        exporter: 'otlp',
        endpoint: 'http://localhost:4318/v1/traces',
        protocol: 'http/protobuf',
        sampler: 'parentbased_always_on',
        samplerRatio: 1,
        attributeCountLimit: 128,
        propagators: ['tracecontext', 'baggage', 'b3multi', 'jaeger'],
        batch: { maxQueueSize: 2048, maxExportBatchSize: 128, scheduledDelayMs: 1000 },
        exportTimeoutMs: 10_000,
        jaegerBaggage: 'incoming',
      },
    });
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.telemetry.batch)).toBe(true);
  });

  it.each<[string, Record<string, string>, Record<string, string>, Record<string, unknown>]>([
    [
      'a flag wins over its variable',
      { listen: '127.0.0.1:7000' },
      { INFERTRACE_LISTEN: '9999' },
      { listen: { host: '127.0.0.1', port: 7000 } },
    ],
    [
      'durations take units',
      {},
      { INFERTRACE_UPSTREAM_TIMEOUT: '1.5s', INFERTRACE_DRAIN_TIMEOUT: '2m' },
      { upstreamTimeoutMs: 1500, drainTimeoutMs: 120_000 },
    ],
    [
      'client body settings',
      { 'client-body-timeout': '2m' },
      { INFERTRACE_CLIENT_IDLE_TIMEOUT: '500ms', INFERTRACE_REQUEST_BUFFER: '1MiB' },
      { clientBodyTimeoutMs: 120_000, clientIdleTimeoutMs: 500, requestBufferBytes: 1024 * 1024 },
    ],
    [
      'header settings',
      {},
      { INFERTRACE_MAX_INJECTED_HEADERS: '4KiB', INFERTRACE_JAEGER_BAGGAGE: 'always' },
      { maxInjectedHeaderBytes: 4096, telemetry: { jaegerBaggage: 'always' } },
    ],
    [
      'the upstream keeps its path prefix',
      { upstream: 'http://model:9000/prefix/' },
      {},
      { upstream: 'http://model:9000/prefix' },
    ],
    ['peer.service unset: worked out per call', {}, {}, { peerService: undefined }],
    ['peer.service from its variable', {}, { INFERTRACE_PEER_SERVICE: 'fraud-model' }, { peerService: 'fraud-model' }],
    [
      'peer.service: the flag wins',
      { 'peer-service': 'triton gpu' },
      { INFERTRACE_PEER_SERVICE: 'x' },
      { peerService: 'triton gpu' },
    ],
    ['peer.service: an empty variable is unset', {}, { INFERTRACE_PEER_SERVICE: '' }, { peerService: undefined }],
    ['peer.service of 255 characters', { 'peer-service': 's'.repeat(255) }, {}, { peerService: 's'.repeat(255) }],
  ])('%s', (_name, flags, env, expected) => {
    expect(loadSidecarConfig({ upstream: UP, ...flags }, env)).toMatchObject(expected);
  });

  it.each<[string, Record<string, string>, Record<string, unknown>]>([
    [
      'base endpoint gets /v1/traces',
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' },
      { endpoint: 'http://collector:4318/v1/traces' },
    ],
    [
      'the traces endpoint is used as given',
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:1', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://b:2/custom' },
      { endpoint: 'http://b:2/custom' },
    ],
    [
      'service name from the variable',
      { OTEL_SERVICE_NAME: 'fraud', OTEL_RESOURCE_ATTRIBUTES: 'service.name=x,team=ml' },
      { serviceName: 'fraud', resourceAttributes: { 'service.name': 'x', team: 'ml' } },
    ],
    ['service name from resource attributes', { OTEL_RESOURCE_ATTRIBUTES: 'service.name=x' }, { serviceName: 'x' }],
    [
      'ratio sampler',
      { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' },
      { sampler: 'parentbased_traceidratio', samplerRatio: 0.25 },
    ],
    ['propagators', { OTEL_PROPAGATORS: 'b3,tracecontext' }, { propagators: ['b3', 'tracecontext'] }],
    ['no export', { OTEL_TRACES_EXPORTER: 'none' }, { exporter: 'none' }],
    ['span attribute limit', { OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: '500' }, { attributeCountLimit: 500 }],
    ['general attribute limit', { OTEL_ATTRIBUTE_COUNT_LIMIT: '300' }, { attributeCountLimit: 300 }],
    ['protobuf', { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' }, { protocol: 'http/protobuf' }],
    ['json', { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }, { protocol: 'http/json' }],
    [
      'the traces protocol wins',
      { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json' },
      { protocol: 'http/json' },
    ],
    [
      'batch settings',
      { OTEL_BSP_MAX_QUEUE_SIZE: '100', OTEL_BSP_SCHEDULE_DELAY: '50', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '10' },
      { batch: { maxQueueSize: 100, scheduledDelayMs: 50, maxExportBatchSize: 10 } },
    ],
  ])('OTEL: %s', (_name, env, expected) => {
    expect(loadSidecarConfig({ upstream: UP }, env).telemetry).toMatchObject(expected);
  });

  it('reports every problem at once, naming flag and variable', () => {
    let error: unknown;
    try {
      loadSidecarConfig(
        { listen: 'nope', 'admin-port': '70000' },
        {
          OTEL_TRACES_SAMPLER: 'sometimes',
          OTEL_TRACES_SAMPLER_ARG: '2',
          OTEL_PROPAGATORS: 'tracecontext,xray',
          OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
          OTEL_RESOURCE_ATTRIBUTES: '=x',
          INFERTRACE_UPSTREAM_TIMEOUT: 'soon',
          OTEL_EXPORTER_OTLP_ENDPOINT: 'ftp://x',
          INFERTRACE_CLIENT_IDLE_TIMEOUT: 'never',
          INFERTRACE_REQUEST_BUFFER: 'big',
          INFERTRACE_JAEGER_BAGGAGE: 'sometimes',
        },
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = (error as ConfigError).problems.join('\n');
    for (const name of [
      '--upstream / INFERTRACE_UPSTREAM',
      '--listen / INFERTRACE_LISTEN',
      '--admin-port / INFERTRACE_ADMIN_PORT',
      'OTEL_TRACES_SAMPLER must',
      'OTEL_TRACES_SAMPLER_ARG',
      'OTEL_PROPAGATORS: unknown xray',
      'grpc is not supported',
      'OTEL_RESOURCE_ATTRIBUTES',
      'INFERTRACE_UPSTREAM_TIMEOUT',
      'OTEL_EXPORTER_OTLP_ENDPOINT',
      '--client-idle-timeout / INFERTRACE_CLIENT_IDLE_TIMEOUT',
      '--request-buffer / INFERTRACE_REQUEST_BUFFER',
      '--jaeger-baggage / INFERTRACE_JAEGER_BAGGAGE',
    ]) {
      expect(text).toContain(name);
    }
  });
});

describe('--peer-service / INFERTRACE_PEER_SERVICE', () => {
  it.each<[string, Record<string, string>, Record<string, string>]>([
    ['an empty flag', { 'peer-service': '' }, {}],
    ['blanks only', {}, { INFERTRACE_PEER_SERVICE: '  ' }],
    ['a surrounding space', { 'peer-service': ' model' }, {}],
    ['a control character', {}, { INFERTRACE_PEER_SERVICE: 'a\tb' }],
    ['256 characters', { 'peer-service': 's'.repeat(256) }, {}],
  ])('refuses %s, naming the flag and the variable', (_name, flags, env) => {
    expect(() => loadSidecarConfig({ upstream: UP, ...flags }, env)).toThrow(
      '--peer-service / INFERTRACE_PEER_SERVICE must be a service name',
    );
  });
});

describe('parseResourceAttributes', () => {
  it.each([
    ['a=1,b=x%20y', { a: '1', b: 'x y' }, []],
    [' a = 1 , ,b=2', { a: '1', b: '2' }, []],
    ['=1,ok=2,bad%', { ok: '2' }, ['=1', 'bad%']],
    ['k=%zz', {}, ['k=%zz']],
  ])('%j', (text, attributes, bad) => {
    expect(parseResourceAttributes(text)).toEqual({ attributes, bad });
  });
});

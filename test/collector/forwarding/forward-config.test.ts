import { describe, expect, it } from 'vitest';
import { parseForwardTargets, readForwardConfig } from '../../../collector/forwarding/forward-config.js';
import { ConfigReader } from '../../../shared/config.js';

describe('forwarding settings', () => {
  it.each([
    ['an OTLP base URL gets /v1/traces', 'otlp=http://jaeger:4318', [['otlp', 'http://jaeger:4318/v1/traces']]],
    ['jaeger means OTLP', 'jaeger=http://jaeger:4318/v1/traces', [['otlp', 'http://jaeger:4318/v1/traces']]],
    [
      'a Zipkin base URL gets /api/v2/spans',
      'zipkin=http://zipkin:9411',
      [['zipkin', 'http://zipkin:9411/api/v2/spans']],
    ],
    [
      'a bare Zipkin URL is recognised by its path',
      'http://zipkin:9411/api/v2/spans',
      [['zipkin', 'http://zipkin:9411/api/v2/spans']],
    ],
    [
      'a bare URL is otherwise OTLP',
      'https://tempo.example/otlp/v1/traces',
      [['otlp', 'https://tempo.example/otlp/v1/traces']],
    ],
    [
      'several, duplicates once',
      ' otlp=http://a:4318 , zipkin=http://b:9411,otlp=http://a:4318/v1/traces',
      [
        ['otlp', 'http://a:4318/v1/traces'],
        ['zipkin', 'http://b:9411/api/v2/spans'],
      ],
    ],
    ['nothing', '', []],
  ])('reads %s', (_label, text, want) => {
    const { destinations, problems } = parseForwardTargets(text);
    expect(problems).toStrictEqual([]);
    expect(destinations.map((d) => [d.kind, d.url])).toStrictEqual(want);
  });

  it.each([
    ['an unknown kind', 'kafka=http://k:1', 'the kind must be otlp, jaeger or zipkin'],
    ['not a URL', 'otlp=jaeger:4318', 'is not an http:// or https:// URL'],
    ['another scheme', 'ftp://x/y', 'is not an http:// or https:// URL'],
  ])('names the problem with %s', (_label, text, message) => {
    expect(parseForwardTargets(text).problems.join('\n')).toContain(message);
  });

  it('reads every setting from the environment, with defaults', () => {
    const r = new ConfigReader(
      {},
      {
        INFERTRACE_FORWARD: 'zipkin=http://z:9411',
        INFERTRACE_FORWARD_MAX_SPANS: '5000',
        INFERTRACE_FORWARD_TIMEOUT: '2s',
      },
    );
    const config = readForwardConfig(r);
    expect(r.problems).toStrictEqual([]);
    expect(config).toStrictEqual({
      destinations: [{ kind: 'zipkin', url: 'http://z:9411/api/v2/spans', key: 'zipkin http://z:9411/api/v2/spans' }],
      maxSpans: 5000,
      batchSpans: 512,
      timeoutMs: 2000,
      backoff: { baseMs: 500, maxMs: 60_000 },
    });
  });

  it('reports every bad setting at once, naming flag and variable', () => {
    const r = new ConfigReader(
      { 'forward-batch-spans': '0' },
      { INFERTRACE_FORWARD: 'x=http://a', INFERTRACE_FORWARD_BACKOFF_MAX: 'forever' },
    );
    readForwardConfig(r);
    expect(r.problems).toHaveLength(3);
    expect(r.problems.join('\n')).toMatch(
      /INFERTRACE_FORWARD: .*kind[\s\S]*--forward-batch-spans \/ INFERTRACE_FORWARD_BATCH_SPANS[\s\S]*--forward-backoff-max \/ INFERTRACE_FORWARD_BACKOFF_MAX/,
    );
  });
});

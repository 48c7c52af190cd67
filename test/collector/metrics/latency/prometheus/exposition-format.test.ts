import { describe, expect, it } from 'vitest';
import type { ExpositionFormat } from '../../../../../collector/metrics/latency/prometheus/content-negotiation.js';
import {
  escapeLabelValue,
  renderExposition,
  sanitiseMetricName,
} from '../../../../../collector/metrics/latency/prometheus/exposition-format.js';
import type { MetricFamily } from '../../../../../collector/metrics/latency/prometheus/metric-family.js';
import { findSample, parseExposition } from './exposition-parser.js';

const FORMATS: ExpositionFormat[] = ['prometheus', 'openmetrics'];

const awkward = [
  'plain',
  'with "quotes"',
  'back\\slash',
  'line\nfeed',
  'ends with backslash \\',
  '\\n is not a line feed',
  '{braces}, commas=and # hashes',
  'ünïcödé ✓',
  '',
];

describe('escapeLabelValue', () => {
  it.each([
    ['a"b', 'a\\"b'],
    ['a\\b', 'a\\\\b'],
    ['a\nb', 'a\\nb'],
    ['\\"\n', '\\\\\\"\\n'],
  ])('%j → %j', (raw, escaped) => {
    expect(escapeLabelValue(raw)).toBe(escaped);
  });
});

describe('renderExposition', () => {
  it.each(FORMATS.flatMap((format) => awkward.map((value) => [format, value] as const)))(
    '%s: label value %j survives a round trip',
    (format, value) => {
      const family: MetricFamily = {
        type: 'gauge',
        name: 'g',
        help: 'h',
        samples: [{ labels: { v: value, other: 'x' }, value: 1 }],
      };
      const parsed = parseExposition(renderExposition([family], format), format);
      expect(parsed.samples[0]?.labels).toEqual({ v: value, other: 'x' });
    },
  );

  it.each(FORMATS)('%s: HELP text with backslashes, quotes and line feeds survives a round trip', (format) => {
    const help = 'Durations "in seconds"\nsee C:\\docs';
    const parsed = parseExposition(renderExposition([{ type: 'gauge', name: 'g', help, samples: [] }], format), format);
    expect(parsed.families.get('g')?.help).toBe(help);
  });

  it.each([
    ['prometheus', 'requests_total', 'requests_total'],
    ['openmetrics', 'requests', 'requests_total'],
  ] as const)('%s: a counter family is named %s and its samples %s', (format, familyName, sampleName) => {
    for (const name of ['requests', 'requests_total']) {
      const text = renderExposition(
        [{ type: 'counter', name, help: 'h', samples: [{ labels: {}, value: 3 }] }],
        format,
      );
      const parsed = parseExposition(text, format);
      expect(parsed.families.get(familyName)?.type).toBe('counter');
      expect(findSample(parsed, sampleName)?.value).toBe(3);
    }
  });

  const histogram: MetricFamily = {
    type: 'histogram',
    name: 'd_seconds',
    unit: 'seconds',
    help: 'h',
    samples: [
      {
        labels: { service: 's' },
        buckets: [
          {
            le: 0.1,
            count: 2,
            exemplar: { labels: { trace_id: 'a'.repeat(32) }, value: 0.05, timestampSeconds: 1718000000.5 },
          },
          { le: 1, count: 5 },
        ],
        infExemplar: { labels: { trace_id: 'b'.repeat(32) }, value: 7 },
        sum: 9.5,
        count: 6,
      },
    ],
  };

  it('OpenMetrics: histogram buckets carry exemplars, le is canonical, UNIT is declared, text ends with # EOF', () => {
    const text = renderExposition([histogram], 'openmetrics');
    const parsed = parseExposition(text, 'openmetrics');
    expect(parsed.eof).toBe(true);
    expect(parsed.families.get('d_seconds')).toMatchObject({ type: 'histogram', unit: 'seconds' });
    expect(parsed.samples.map((s) => [s.name, s.labels.le, s.value])).toEqual([
      ['d_seconds_bucket', '0.1', 2],
      ['d_seconds_bucket', '1.0', 5],
      ['d_seconds_bucket', '+Inf', 6],
      ['d_seconds_sum', undefined, 9.5],
      ['d_seconds_count', undefined, 6],
    ]);
    expect(findSample(parsed, 'd_seconds_bucket', { le: '0.1' })?.exemplar).toEqual({
      labels: { trace_id: 'a'.repeat(32) },
      value: 0.05,
      timestamp: 1718000000.5,
    });
    expect(findSample(parsed, 'd_seconds_bucket', { le: '+Inf' })?.exemplar).toEqual({
      labels: { trace_id: 'b'.repeat(32) },
      value: 7,
    });
  });

  it('Prometheus text 0.0.4: the same histogram without exemplars and without # EOF', () => {
    const text = renderExposition([histogram], 'prometheus');
    expect(text).not.toMatch(/ # \{/);
    const parsed = parseExposition(text, 'prometheus');
    expect(parsed.samples.every((s) => s.exemplar === undefined)).toBe(true);
    expect(findSample(parsed, 'd_seconds_bucket', { le: '1' })?.value).toBe(5);
  });

  it('leaves out an exemplar whose labels exceed 128 characters', () => {
    const text = renderExposition(
      [
        {
          type: 'counter',
          name: 'c',
          help: 'h',
          samples: [{ labels: {}, value: 1, exemplar: { labels: { trace_id: 'x'.repeat(121) }, value: 1 } }],
        },
      ],
      'openmetrics',
    );
    expect(findSample(parseExposition(text, 'openmetrics'), 'c_total')?.exemplar).toBeUndefined();
  });

  it.each([
    ['ok_name', 'ok_name'],
    ['spans.rejected-total', 'spans_rejected_total'],
    ['9lives', '_9lives'],
  ])('repairs metric name %s to %s', (name, expected) => {
    expect(sanitiseMetricName(name)).toBe(expected);
  });

  it.each([
    ['prometheus', ''],
    ['openmetrics', '# EOF\n'],
  ] as const)('%s: nothing to expose renders as %j', (format, expected) => {
    expect(renderExposition([], format)).toBe(expected);
  });
});

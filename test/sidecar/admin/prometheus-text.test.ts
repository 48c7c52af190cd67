import { describe, expect, it } from 'vitest';
import { family, histogram } from '../../../sidecar/admin/prometheus-text.js';

describe('Prometheus text format', () => {
  it.each([
    [
      'a counter without labels',
      family('x_total', 'counter', 'Things.', [{ value: 3 }]),
      '# HELP x_total Things.\n# TYPE x_total counter\nx_total 3',
    ],
    [
      'escaped label values',
      family('g', 'gauge', 'G.', [{ labels: { a: 'q"u\\o\nte' }, value: 1.5 }]),
      '# HELP g G.\n# TYPE g gauge\ng{a="q\\"u\\\\o\\nte"} 1.5',
    ],
    [
      'a cumulative histogram',
      histogram('h', 'H.', [{ labels: { s: '200' }, bounds: [0.1, 1], counts: [2, 1, 1], sum: 3.5 }]),
      '# HELP h H.\n# TYPE h histogram\nh_bucket{s="200",le="0.1"} 2\nh_bucket{s="200",le="1"} 3\nh_bucket{s="200",le="+Inf"} 4\nh_sum{s="200"} 3.5\nh_count{s="200"} 4',
    ],
  ])('%s', (_name, text, expected) => {
    expect(text).toBe(expected);
  });
});

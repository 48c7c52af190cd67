import { describe, expect, it } from 'vitest';
import { chooseFormat } from '../../../../../collector/metrics/latency/prometheus/content-negotiation.js';

describe('chooseFormat', () => {
  it.each([
    [undefined, 'prometheus'],
    ['*/*', 'prometheus'],
    ['text/plain', 'prometheus'],
    ['text/plain;version=0.0.4', 'prometheus'],
    ['application/openmetrics-text', 'openmetrics'],
    // What Prometheus 2.x sends when scraping.
    [
      'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
      'openmetrics',
    ],
    ['text/plain;q=0.9, application/openmetrics-text;q=0.5', 'prometheus'],
    ['application/openmetrics-text;q=0', 'prometheus'],
    ['APPLICATION/OpenMetrics-Text; version=1.0.0', 'openmetrics'],
    ['application/json', 'prometheus'],
  ])('Accept %s → %s', (accept, expected) => {
    expect(chooseFormat(accept)).toBe(expected);
  });
});

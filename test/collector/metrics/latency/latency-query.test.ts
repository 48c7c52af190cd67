import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RANGE_MS,
  MAX_POINTS,
  parseLatencyQuery,
} from '../../../../collector/metrics/latency/latency-query.js';

const MIN = 60_000;
const NOW = 1_718_000_000_000;

describe('parseLatencyQuery accepts', () => {
  it.each([
    { raw: {}, range: { startMs: NOW - DEFAULT_RANGE_MS, endMs: NOW, stepMs: MIN } },
    { raw: { step: '5m' }, range: { startMs: NOW - DEFAULT_RANGE_MS, endMs: NOW, stepMs: 5 * MIN } },
    { raw: { start: '0', end: '600000', step: '120000' }, range: { startMs: 0, endMs: 600_000, stepMs: 120_000 } },
    // Without a step, a long range gets the finest step that stays within MAX_POINTS.
    {
      raw: { start: '0', end: String(MAX_POINTS * MIN * 3) },
      range: { startMs: 0, endMs: MAX_POINTS * MIN * 3, stepMs: 3 * MIN },
    },
  ])('$raw', ({ raw, range }) => {
    const result = parseLatencyQuery(raw, NOW, MIN);
    expect(result).toEqual({ ok: true, query: { filter: {}, range } });
  });

  it('passes series filters through, an empty value included', () => {
    const result = parseLatencyQuery({ service: 'svc', operation: 'op', model: '', version: '2' }, NOW, MIN);
    expect(result.ok && result.query.filter).toEqual({ service: 'svc', operation: 'op', model: '', version: '2' });
  });
});

describe('parseLatencyQuery refuses, naming the parameter', () => {
  it.each([
    [{ start: 'yesterday' }, 'start', /RFC 3339/],
    [{ end: '2024-02-31' }, 'end', /epoch milliseconds/],
    [{ start: '2000', end: '1000' }, 'start', /before end/],
    [{ start: '1000', end: '1000' }, 'start', /before end/],
    [{ step: 'often' }, 'step', /duration/],
    [{ step: '0' }, 'step', /duration/],
    [{ step: '90s' }, 'step', /whole multiple of the bucket width \(60000 ms\)/],
    [{ start: '0', end: String(NOW), step: '1m' }, 'step', /more than 11000 points/],
  ])('%j → %s', (raw, parameter, message) => {
    const result = parseLatencyQuery(raw, NOW, MIN);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.parameter).toBe(parameter);
      expect(result.message).toMatch(message);
      expect(result.message.startsWith(parameter)).toBe(true);
    }
  });
});

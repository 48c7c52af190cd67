import { describe, expect, it } from 'vitest';
import { parseGoDuration, parseLookback } from '../../../collector/jaeger/go-duration.js';

describe('Go durations (Jaeger minDuration/maxDuration)', () => {
  it.each([
    ['0', 0n],
    ['100ms', 100_000_000n],
    ['1.2s', 1_200_000_000n],
    ['1h30m', 5_400_000_000_000n],
    ['500us', 500_000n],
    ['500µs', 500_000n],
    ['500μs', 500_000n],
    ['7ns', 7n],
    ['.5s', 500_000_000n],
    ['2m0.5s', 120_500_000_000n],
  ])('reads %s', (text, ns) => {
    expect(parseGoDuration(text)).toBe(ns);
  });

  it.each(['', '100', 'ms', '1.2 s', '-1s', '1d', 'fast', '1s2'])('refuses %j', (text) => {
    expect(parseGoDuration(text)).toBeUndefined();
  });

  it.each([
    ['1h', 3_600_000_000_000n],
    ['2d', 172_800_000_000_000n],
    ['custom', undefined],
  ])('reads the UI look-back %s', (text, ns) => {
    expect(parseLookback(text)).toBe(ns);
  });
});

import { describe, expect, it } from 'vitest';
import { instantHint, parseByteSize, parseDurationMs, parseInstantMs } from '../../shared/units.js';

describe('sizes', () => {
  it.each([
    ['1048576', 1048576],
    ['10b', 10],
    // k, M, G, T count in 1000s, in any case, with or without B…
    ['1k', 1000],
    ['500 kB', 500_000],
    ['2m', 2_000_000],
    ['2M', 2_000_000],
    ['16G', 16e9],
    ['16GB', 16e9],
    // …Ki, Mi, Gi, Ti in 1024s.
    ['512KiB', 512 * 1024],
    ['64Mi', 64 * 1024 ** 2],
    ['64MiB', 64 * 1024 ** 2],
    ['1.5gib', 1.5 * 1024 ** 3],
    ['2TiB', 2 * 1024 ** 4],
  ])('%s is %i bytes', (text, bytes) => expect(parseByteSize(text)).toBe(bytes));

  it.each(['', 'lots', '-5MB', '5XB', 'MB', '1.2.3k'])('refuses %j', (text) =>
    expect(parseByteSize(text)).toBeUndefined(),
  );
});

describe('durations', () => {
  it.each([
    ['250', 250],
    ['250ms', 250],
    ['1.5s', 1500],
    ['10m', 600_000],
    ['2h', 7_200_000],
    ['7d', 604_800_000],
    ['100us', 0.1],
    ['100µs', 0.1],
    ['5000ns', 0.005],
    [' 30s ', 30_000],
  ])('%s is %d ms', (text, ms) => expect(parseDurationMs(text)).toBe(ms));

  it.each(['', 'soon', '-1s', '1w', '1h30m', '5 minutes', 'ms'])('refuses %j', (text) =>
    expect(parseDurationMs(text)).toBeUndefined(),
  );
});

describe('points in time', () => {
  it.each([
    ['0', 0],
    ['1718000000000', 1_718_000_000_000],
    ['2024-06-10T06:13:20Z', 1_718_000_000_000],
    ['2024-06-10T08:13:20.5+02:00', 1_718_000_000_500],
    ['2024-05-01', 1_714_521_600_000],
    ['2024-05-01T12:00', 1_714_564_800_000],
    ['2024-05-01 12:00:00.123Z', 1_714_564_800_123],
    ['2024-05-01T12:00:00-0130', 1_714_570_200_000],
  ])('%s is %i ms since the epoch', (text, ms) => expect(parseInstantMs(text)).toBe(ms));

  it.each([
    'yesterday',
    '-5',
    '1.5',
    'May 1 2024',
    '2024-13-40T00:00:00Z',
    '2024-13-01',
    '2024-02-31',
    '2024-05-01T25:00Z',
    '1718000000000000', // microseconds
  ])('refuses %j', (text) => expect(parseInstantMs(text)).toBeUndefined());

  it('says when a refused number looks like micro- or nanoseconds', () => {
    expect(instantHint('1718000000000000')).toContain('micro- or nanoseconds');
    expect(instantHint('yesterday')).not.toContain('micro');
  });
});

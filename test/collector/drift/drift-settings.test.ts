import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DRIFT_SETTINGS,
  readDriftSettings,
  resolveDriftSettings,
} from '../../../collector/drift/drift-settings.js';
import { ConfigReader } from '../../../shared/config.js';

describe('drift settings', () => {
  it('defaults without variables', () => {
    const reader = new ConfigReader({}, {});
    expect(readDriftSettings(reader)).toEqual(DEFAULT_DRIFT_SETTINGS);
    expect(reader.problems).toEqual([]);
  });

  it.each([
    [{ INFERTRACE_DRIFT_BUCKET: '15m' }, { bucketWidthMs: 900_000 }],
    [
      { INFERTRACE_DRIFT_FLUSH_INTERVAL: '10s', INFERTRACE_DRIFT_RETENTION: '90d' },
      { flushIntervalMs: 10_000, retentionMs: 90 * 86_400_000 },
    ],
    [{ INFERTRACE_DRIFT: 'off' }, { enabled: false }],
    [
      { INFERTRACE_DRIFT_REFERENCE_MAX_BYTES: '8MiB', INFERTRACE_DRIFT_REFERENCE_RAW_CAP: '5000' },
      { referenceMaxBytes: 8 * 1024 * 1024, referenceRawCap: 5000 },
    ],
    [
      {
        INFERTRACE_DRIFT_MAX_RAW_SPANS: '1000',
        INFERTRACE_DRIFT_MAX_SLICES: '5',
        INFERTRACE_DRIFT_MAX_CATEGORIES: '50',
        INFERTRACE_DRIFT_MAX_FEATURES: '20',
      },
      { maxRawSpans: 1000, maxSlices: 5, maxCategories: 50, maxFeatures: 20 },
    ],
  ])('reads %j', (env, expected) => {
    const reader = new ConfigReader({}, env);
    expect(readDriftSettings(reader)).toEqual({ ...DEFAULT_DRIFT_SETTINGS, ...expected });
    expect(reader.problems).toEqual([]);
  });

  it.each([
    [
      { INFERTRACE_DRIFT_BUCKET: 'hourly' },
      /--drift-bucket \/ INFERTRACE_DRIFT_BUCKET must be a duration of at least 1ms, such as 500ms, 30s, 5m or 7d; got "hourly"/,
    ],
    [
      { INFERTRACE_DRIFT_REFERENCE_MAX_BYTES: 'lots' },
      /INFERTRACE_DRIFT_REFERENCE_MAX_BYTES must be a size from 1 byte to 1GiB/,
    ],
    [{ INFERTRACE_DRIFT_MAX_SLICES: '0' }, /INFERTRACE_DRIFT_MAX_SLICES must be a whole number from 1 to 1000/],
    [
      { INFERTRACE_DRIFT_BUCKET: '2d', INFERTRACE_DRIFT_RETENTION: '1d' },
      /drift: retentionMs must be at least bucketWidthMs/,
    ],
    [{ INFERTRACE_DRIFT: 'maybe' }, /INFERTRACE_DRIFT must be true or false/],
  ])('names the problem in %j', (env, message) => {
    const reader = new ConfigReader({}, env);
    readDriftSettings(reader);
    expect(reader.problems.join('\n')).toMatch(message);
  });

  it('refuses impossible programmatic settings, naming them', () => {
    expect(() => resolveDriftSettings({ bucketWidthMs: 0, maxSlices: 1.5 })).toThrow(
      /bucketWidthMs must be a positive whole number, got 0; maxSlices/,
    );
  });
});

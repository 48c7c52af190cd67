import { describe, expect, it } from 'vitest';
import { ConfigReader } from '../../../shared/config.js';
import { parseByteSize, parseRetentionMs, readStorageSettings } from '../../../collector/storage/storage-config.js';

describe('storage settings', () => {
  it.each([
    ['1GB', 1e9], ['500MB', 5e8], ['1.5gb', 1.5e9], ['2GiB', 2 * 2 ** 30], ['64 KiB', 65536], ['1048576', 1048576], ['0', 0], ['off', 0],
    ['', undefined], ['-1GB', undefined], ['1 parsec', undefined], ['GB', undefined],
  ])('reads the size %j as %s', (text, bytes) => {
    expect(parseByteSize(text)).toBe(bytes);
  });

  it.each([
    ['7d', 7 * 86_400_000], ['12h', 43_200_000], ['30m', 1_800_000], ['0', 0], ['off', 0], ['soon', undefined],
  ])('reads the retention %j as %s ms', (text, ms) => {
    expect(parseRetentionMs(text)).toBe(ms);
  });

  it('defaults to ./data/infertrace.db, 7 days and 1 GB', () => {
    const reader = new ConfigReader({}, {});
    expect(readStorageSettings(reader)).toEqual({ path: './data/infertrace.db', retention: { maxAgeMs: 7 * 86_400_000, maxBytes: 1e9 } });
    expect(reader.problems).toEqual([]);
  });

  it('takes flags over environment variables', () => {
    const reader = new ConfigReader({ db: ':memory:', retention: '2h' }, { INFERTRACE_DB: '/x.db', INFERTRACE_RETENTION: '1d', INFERTRACE_MAX_DB_SIZE: '10MB' });
    expect(readStorageSettings(reader)).toEqual({ path: ':memory:', retention: { maxAgeMs: 7_200_000, maxBytes: 1e7 } });
  });

  it('reports every bad value by its flag and variable', () => {
    const reader = new ConfigReader({}, { INFERTRACE_RETENTION: 'forever', INFERTRACE_MAX_DB_SIZE: 'big' });
    readStorageSettings(reader);
    expect(reader.problems).toHaveLength(2);
    expect(reader.problems[0]).toContain('INFERTRACE_RETENTION');
    expect(reader.problems[1]).toContain('INFERTRACE_MAX_DB_SIZE');
    expect(() => reader.done()).toThrow('invalid configuration');
  });
});

import { describe, expect, it } from 'vitest';
import { readCollectorConfig } from '../../collector/config.js';
import { ConfigError } from '../../shared/config.js';

describe('readCollectorConfig', () => {
  it('has the documented defaults', () => {
    const { features, ...core } = readCollectorConfig({}, {});
    expect(features?.forward.destinations).toEqual([]);
    expect(features?.alerts.rulesFile).toBeUndefined();
    expect(core).toEqual({
      host: '127.0.0.1',
      port: 4318,
      db: './data/infertrace.db',
      retentionMs: 7 * 86_400_000,
      maxDbSizeBytes: undefined,
      bodyLimitBytes: 64 * 1024 * 1024,
      memoryBudgetBytes: 256 * 1024 * 1024,
      shutdownTimeoutMs: 10_000,
      logLevel: 'info',
      auth: { reloadMs: 2000, insecureNoAuth: false, metricsAccess: 'read' },
    });
  });

  it('reads the environment, and flags win over it', () => {
    const env = {
      INFERTRACE_PORT: '9999',
      INFERTRACE_DB: ':memory:',
      INFERTRACE_RETENTION: '12h',
      INFERTRACE_MAX_DB_SIZE: '16GB',
      INFERTRACE_HOST: '127.0.0.1',
    };
    const config = readCollectorConfig(
      { port: '0', 'body-limit': '1MiB' },
      { ...env, INFERTRACE_MEMORY_BUDGET: '64MiB' },
    );
    expect(config).toMatchObject({
      port: 0,
      db: ':memory:',
      retentionMs: 12 * 3_600_000,
      maxDbSizeBytes: 16e9,
      host: '127.0.0.1',
      bodyLimitBytes: 1024 * 1024,
      memoryBudgetBytes: 64 * 1024 * 1024,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reports the problems of every area together, naming flag and variable', () => {
    const env = {
      INFERTRACE_PORT: 'x',
      INFERTRACE_FORWARD: 'ftp://nowhere',
      INFERTRACE_ALERT_INTERVAL: 'soon',
      INFERTRACE_LATENCY_BUCKET: 'often',
    };
    let message = '';
    try {
      readCollectorConfig({}, env);
    } catch (err) {
      message = (err as Error).message;
    }
    for (const name of [
      'INFERTRACE_PORT',
      'INFERTRACE_FORWARD',
      'INFERTRACE_ALERT_INTERVAL',
      'INFERTRACE_LATENCY_BUCKET',
    ])
      expect(message).toContain(name);
  });

  it('reports every problem at once, naming flag and variable', () => {
    const env = {
      INFERTRACE_PORT: '70000',
      INFERTRACE_RETENTION: 'a week',
      INFERTRACE_MAX_DB_SIZE: 'huge',
      INFERTRACE_LOG_LEVEL: 'loud',
      INFERTRACE_MEMORY_BUDGET: 'plenty',
    };
    let error: unknown;
    try {
      readCollectorConfig({ 'body-limit': '10' }, env);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(6);
    for (const [flag, variable] of [
      ['--port', 'INFERTRACE_PORT'],
      ['--retention', 'INFERTRACE_RETENTION'],
      ['--max-db-size', 'INFERTRACE_MAX_DB_SIZE'],
      ['--body-limit', 'INFERTRACE_BODY_LIMIT'],
      ['--log-level', 'INFERTRACE_LOG_LEVEL'],
      ['--memory-budget', 'INFERTRACE_MEMORY_BUDGET'],
    ]) {
      expect(
        problems.some((p) => p.includes(`${flag} / ${variable}`)),
        `${flag} is named`,
      ).toBe(true);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { readAlertSettings } from '../../../collector/alerts/alert-settings.js';
import { configProblems } from '../support/config-problems.js';

describe('alert settings', () => {
  it('reads the variables, flags winning', () => {
    const env = {
      INFERTRACE_ALERT_RULES: '/etc/rules.yaml',
      INFERTRACE_ALERT_INTERVAL: '1m',
      INFERTRACE_EXTERNAL_URL: 'http://c:4318/',
    };
    expect(readAlertSettings({}, env)).toEqual({
      rulesFile: '/etc/rules.yaml',
      intervalMs: 60_000,
      externalUrl: 'http://c:4318',
    });
    expect(readAlertSettings({ 'alert-interval': '5s' }, env).intervalMs).toBe(5000);
    expect(readAlertSettings({}, {})).toEqual({ rulesFile: undefined, intervalMs: undefined, externalUrl: undefined });
  });

  it('names every bad setting', () => {
    const found = configProblems(() =>
      readAlertSettings({}, { INFERTRACE_ALERT_INTERVAL: '10ms', INFERTRACE_EXTERNAL_URL: 'ftp://x' }),
    );
    expect(found.join('\n')).toMatch(/INFERTRACE_ALERT_INTERVAL[\s\S]*INFERTRACE_EXTERNAL_URL/);
  });
});

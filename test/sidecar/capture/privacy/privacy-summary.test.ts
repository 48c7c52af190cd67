import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSidecarSetup } from '../../../../sidecar/cli.js';

// What `infertrace sidecar` prints at start about what it records raw and what it protects.
describe('the start-up privacy summary', () => {
  const summary = (env: Record<string, string>): string =>
    loadSidecarSetup({ upstream: 'http://127.0.0.1:9' }, env).privacy;

  it('without a key: identifying features are dropped, and says how to keep them as pseudonyms', () => {
    const text = summary({});
    expect(text).toContain('capture rules: none (no rules file)');
    expect(text).toMatch(/protects identifying features .*: dropped \(no key; set INFERTRACE_HMAC_KEY_FILE/);
    expect(text).toContain(
      'protects PII found in text and numbers (email, iban, payment_card, us_ssn, phone, ip_address): masked',
    );
    expect(text).toContain('client.address cut to its /24 or /48');
    expect(text).toMatch(/records raw: every other feature .*strict mode: default_action: drop/);
  });

  it('with a key: identifying features are pseudonymised under its id; the key never shows', () => {
    const key = 'ab'.repeat(32);
    const text = summary({ INFERTRACE_HMAC_KEY: key, INFERTRACE_HMAC_KEY_ID: 'k2026' });
    expect(text).toMatch(/protects identifying features .*: pseudonymised \(HMAC key k2026\)/);
    expect(text).not.toContain(key);
  });

  it('says what the rules file changed of the HTTP metadata protections', () => {
    const dir = mkdtempSync(join(tmpdir(), 'infertrace-summary-'));
    try {
      const file = join(dir, 'rules.yaml');
      writeFileSync(file, 'http_metadata:\n  client.address: keep\n  url.query: drop\n');
      const text = summary({ INFERTRACE_CAPTURE_RULES: file });
      expect(text).toContain(
        'protects HTTP metadata: url.full query scanned, user_agent.original scanned; by the rules file: url.query drop, client.address keep',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says when capture is off', () => {
    expect(summary({ INFERTRACE_CAPTURE: 'false' })).toMatch(/^capture is off/);
  });
});

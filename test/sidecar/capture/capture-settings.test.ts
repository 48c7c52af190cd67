import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigReader, ConfigError } from '../../../shared/config.js';
import { captureAttributeBudget, readCaptureSettings } from '../../../sidecar/capture/capture-settings.js';
import { DEFAULT_LIMITS } from '../../../sidecar/capture/limits.js';

const dir = mkdtempSync(join(tmpdir(), 'infertrace-settings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const KEY = '0123456789abcdef0123456789abcdef';

function read(env: Record<string, string>, flags: Record<string, string> = {}) {
  const reader = new ConfigReader(flags, env);
  const settings = readCaptureSettings(reader);
  return { settings, problems: reader.problems };
}

describe('capture settings', () => {
  it('has working defaults and is frozen', () => {
    const { settings, problems } = read({});
    expect(problems).toEqual([]);
    expect(settings).toMatchObject({ enabled: true, sampleRatio: 1, limits: DEFAULT_LIMITS, routes: [], models: {} });
    expect(settings.privacy.defaultAction).toBe('keep');
    expect(settings.privacy.pii.action).toBe('mask');
    expect(settings.privacy.pseudonymiser).toBeUndefined();
    expect(Object.isFrozen(settings)).toBe(true);
    expect(Object.isFrozen(settings.limits)).toBe(true);
    expect(captureAttributeBudget(settings)).toBeGreaterThan(2 * DEFAULT_LIMITS.maxFeatures);
  });

  it.each<[string, Record<string, string>, Record<string, string>, Record<string, unknown>]>([
    ['off', { INFERTRACE_CAPTURE: 'off' }, {}, { enabled: false }],
    ['a sampling ratio', { INFERTRACE_CAPTURE_SAMPLE_RATIO: '0.25' }, {}, { sampleRatio: 0.25 }],
    // One grammar for every size (shared/units.ts): k counts in 1000s, Ki in 1024s.
    ['sizes in k', { INFERTRACE_CAPTURE_MAX_BYTES: '64k' }, {}, { limits: { ...DEFAULT_LIMITS, maxBytes: 64_000 } }],
    ['sizes in KiB', { INFERTRACE_CAPTURE_MAX_BYTES: '64KiB' }, {}, { limits: { ...DEFAULT_LIMITS, maxBytes: 65536 } }],
    ['sizes in M', { INFERTRACE_CAPTURE_MAX_BYTES: '2m' }, {}, { limits: { ...DEFAULT_LIMITS, maxBytes: 2_000_000 } }],
    [
      'sizes in MiB',
      { INFERTRACE_CAPTURE_MAX_BYTES: '2MiB' },
      {},
      { limits: { ...DEFAULT_LIMITS, maxBytes: 2 * 1048576 } },
    ],
    [
      'limits',
      {
        INFERTRACE_CAPTURE_MAX_FEATURES: '10',
        INFERTRACE_CAPTURE_MAX_VALUES: '4',
        INFERTRACE_CAPTURE_MAX_STRING: '32',
      },
      {},
      { limits: { maxBytes: DEFAULT_LIMITS.maxBytes, maxFeatures: 10, maxValues: 4, maxString: 32 } },
    ],
    [
      'a flag over its variable',
      { INFERTRACE_CAPTURE_MAX_VALUES: '4' },
      { 'capture-max-values': '9' },
      { limits: { ...DEFAULT_LIMITS, maxValues: 9 } },
    ],
    [
      'a subject header, lower-cased',
      { INFERTRACE_SUBJECT_HEADER: 'X-Subject-Id', INFERTRACE_HMAC_KEY: KEY },
      {},
      { subjectHeader: 'x-subject-id' },
    ],
    [
      'a subject field',
      { INFERTRACE_SUBJECT_FIELD: 'parameters.subject_id', INFERTRACE_HMAC_KEY: KEY },
      {},
      { subjectField: ['parameters', 'subject_id'] },
    ],
    ['capture threads at nice 10 by default', {}, {}, { workers: 1, threadNice: 10 }],
    ['capture threads at the proxy priority', { INFERTRACE_CAPTURE_NICE: '0' }, {}, { threadNice: 0 }],
    ['the nice flag over its variable', { INFERTRACE_CAPTURE_NICE: '3' }, { 'capture-nice': '19' }, { threadNice: 19 }],
  ])('reads %s', (_name, env, flags, expected) => {
    const { settings, problems } = read(env, flags);
    expect(problems).toEqual([]);
    expect(settings).toMatchObject(expected);
  });

  it.each<[string, Record<string, string>, RegExp]>([
    ['a bad switch', { INFERTRACE_CAPTURE: 'maybe' }, /INFERTRACE_CAPTURE must be true or false/],
    ['a nice value past 19', { INFERTRACE_CAPTURE_NICE: '20' }, /INFERTRACE_CAPTURE_NICE must be a whole number/],
    ['a negative nice value', { INFERTRACE_CAPTURE_NICE: '-5' }, /INFERTRACE_CAPTURE_NICE must be a whole number/],
    [
      'a ratio above 1',
      { INFERTRACE_CAPTURE_SAMPLE_RATIO: '1.5' },
      /INFERTRACE_CAPTURE_SAMPLE_RATIO must be a number from 0 to 1/,
    ],
    [
      'a bad size',
      { INFERTRACE_CAPTURE_MAX_BYTES: 'lots' },
      /INFERTRACE_CAPTURE_MAX_BYTES must be a size from 1 byte to 256MiB/,
    ],
    ['a size over the limit', { INFERTRACE_CAPTURE_MAX_BYTES: '1GB' }, /INFERTRACE_CAPTURE_MAX_BYTES must be a size/],
    [
      'a zero limit',
      { INFERTRACE_CAPTURE_MAX_FEATURES: '0' },
      /INFERTRACE_CAPTURE_MAX_FEATURES must be a whole number/,
    ],
    [
      'a subject header without a key',
      { INFERTRACE_SUBJECT_HEADER: 'x-subject-id' },
      /INFERTRACE_SUBJECT_HEADER: the subject id is only recorded as a keyed HMAC and needs a key/,
    ],
    ['a subject field without a key', { INFERTRACE_SUBJECT_FIELD: 'user' }, /INFERTRACE_SUBJECT_FIELD: .*needs a key/],
    ['a bad subject field', { INFERTRACE_SUBJECT_FIELD: 'a..b', INFERTRACE_HMAC_KEY: KEY }, /must be a dotted path/],
    [
      'a short key',
      { INFERTRACE_HMAC_KEY: '00112233445566778899aabbccddee' },
      /INFERTRACE_HMAC_KEY holds 15 bytes; a key needs at least 16 random bytes/,
    ],
    [
      'a passphrase',
      { INFERTRACE_HMAC_KEY: 'my secret passphrase!' },
      /INFERTRACE_HMAC_KEY is not hex or base64 \(a passphrase is not a key\)/,
    ],
    [
      'a keyring line without an id',
      { INFERTRACE_HMAC_KEY: `k2 ${'ab'.repeat(16)}\n${'cd'.repeat(16)}` },
      /key 2: a keyring needs an id/,
    ],
    [
      'two keys with one id',
      { INFERTRACE_HMAC_KEY: `k1 ${'ab'.repeat(16)}\nk1 ${'cd'.repeat(16)}` },
      /two keys share an id/,
    ],
    ['two keys', { INFERTRACE_HMAC_KEY: KEY, INFERTRACE_HMAC_KEY_FILE: '/nowhere' }, /set only one of/],
    ['an unreadable key file', { INFERTRACE_HMAC_KEY_FILE: join(dir, 'absent.key') }, /cannot read ".*absent\.key"/],
    [
      'a key id with a colon',
      { INFERTRACE_HMAC_KEY: KEY, INFERTRACE_HMAC_KEY_ID: 'a:b' },
      /INFERTRACE_HMAC_KEY_ID must be/,
    ],
    ['a key id without a key', { INFERTRACE_HMAC_KEY_ID: 'k1' }, /INFERTRACE_HMAC_KEY_ID is set but no key is/],
  ])('reports %s', (_name, env, expected) => {
    const reader = new ConfigReader({}, env);
    readCaptureSettings(reader);
    expect(reader.problems.join('\n')).toMatch(expected);
    expect(() => reader.done()).toThrow(ConfigError);
  });

  it('reads the key from a file (trailing newline ignored) and labels pseudonyms with the key id', () => {
    const keyFile = join(dir, 'hmac.key');
    writeFileSync(keyFile, `${KEY}\n`);
    const fromFile = read({ INFERTRACE_HMAC_KEY_FILE: keyFile, INFERTRACE_HMAC_KEY_ID: '2026-q2' }).settings.privacy
      .pseudonymiser;
    const fromEnv = read({ INFERTRACE_HMAC_KEY: KEY, INFERTRACE_HMAC_KEY_ID: '2026-q2' }).settings.privacy
      .pseudonymiser;
    expect(fromFile?.pseudonymise('alice', 'ml.input.name')).toMatch(/^hmac:2026-q2:[0-9a-f]{64}$/);
    expect(fromFile?.pseudonymise('alice', 'ml.input.name')).toBe(fromEnv?.pseudonymise('alice', 'ml.input.name'));
  });

  it('reads a keyring: the first key makes pseudonyms, the older ones stay for lookups', () => {
    const keyFile = join(dir, 'keyring');
    writeFileSync(
      keyFile,
      `# rotated 2026-06\nk2026q3 ${'ab'.repeat(32)}\nk2026q2 ${KEY}  # until data made under it is gone\n`,
    );
    const ring = read({ INFERTRACE_HMAC_KEY_FILE: keyFile }).settings.privacy.pseudonymiser;
    const old = read({ INFERTRACE_HMAC_KEY: KEY, INFERTRACE_HMAC_KEY_ID: 'k2026q2' }).settings.privacy.pseudonymiser;
    expect(ring?.keyIds).toEqual(['k2026q3', 'k2026q2']);
    expect(ring?.pseudonymise('alice', 'enduser.pseudo.id')).toMatch(/^hmac:k2026q3:/);
    expect(ring?.candidates('alice', 'enduser.pseudo.id')[1]).toBe(old?.pseudonymise('alice', 'enduser.pseudo.id'));
  });

  it('never shows the key when the settings are printed', () => {
    const { settings } = read({ INFERTRACE_HMAC_KEY: KEY });
    expect(JSON.stringify(settings)).not.toContain(KEY);
  });

  it('reads routes and model feature names from the rules file', () => {
    const rules = join(dir, 'rules.yaml');
    writeFileSync(
      rules,
      'routes:\n  - path: /score\n    protocol: json\n    model: fraud\nmodels:\n  fraud:\n    inputs: [amount, country]\n',
    );
    const { settings, problems } = read({ INFERTRACE_CAPTURE_RULES: rules });
    expect(problems).toEqual([]);
    expect(settings.routes.map((r) => [r.pattern, r.info])).toEqual([
      ['/score', { protocol: 'json', modelName: 'fraud' }],
    ]);
    expect(settings.models).toEqual({ fraud: { inputs: ['amount', 'country'] } });
    expect(settings.rulesFile).toBe(rules);
  });
});

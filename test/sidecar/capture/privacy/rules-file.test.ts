import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { ConfigReader } from '../../../../shared/config.js';
import { readCaptureSettings } from '../../../../sidecar/capture/capture-settings.js';

const dir = mkdtempSync(join(tmpdir(), 'infertrace-rules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function file(text: string, ext = 'yaml'): string {
  const path = join(dir, `rules-${n++}.${ext}`);
  writeFileSync(path, text);
  return path;
}
const KEY = { INFERTRACE_HMAC_KEY: '0123456789abcdef0123456789abcdef' };

function problems(env: Record<string, string>): string[] {
  const reader = new ConfigReader({}, env);
  readCaptureSettings(reader);
  return reader.problems;
}

describe('rules file problems are start-up errors naming file, line and rule', () => {
  it.each<[string, string, Record<string, string>, RegExp]>([
    [
      'YAML that does not parse',
      'rules:\n  - match: a\n    action: [drop\n',
      {},
      /rules-\d+\.yaml:\d+: the rules file does not parse/,
    ],
    [
      'an unknown action',
      'rules:\n  - match: email\n    action: drop\n  - match: ssn\n    action: hash\n',
      {},
      /rules-\d+\.yaml:5: rule 2 \(match "ssn"\): unknown action "hash"/,
    ],
    [
      'an action that is an object key',
      'rules:\n  - match: a\n    action: constructor\n',
      {},
      /rule 1 \(match "a"\): unknown action "constructor"/,
    ],
    [
      'a protocol that is an object key',
      'routes:\n  - path: /x\n    protocol: toString\n',
      {},
      /unknown protocol "toString"/,
    ],
    [
      'a misspelt key',
      'rules:\n  - match: email\n    acton: drop\n',
      {},
      /rules-\d+\.yaml:3: rule 1 \(match "email"\): unknown key "acton"/,
    ],
    [
      'pseudonymise without a key',
      'rules:\n  - match: a\n    action: keep\n  - match: customer_id\n    action: pseudonymise\n',
      {},
      /rules-\d+\.yaml:4: rule 2 \(match "customer_id"\): action pseudonymise needs a key/,
    ],
    [
      'a default pseudonymise without a key',
      'default_action: pseudonymise\n',
      {},
      /rules-\d+\.yaml:1: default_action pseudonymise needs a key/,
    ],
    [
      'generalise with bad edges',
      'rules:\n  - match: age\n    action: generalise\n    edges: [30, 20]\n',
      {},
      /rules-\d+\.yaml:4: rule 1 \(match "age"\): edges must be/,
    ],
    [
      'width on a non-generalise rule',
      'rules:\n  - match: age\n    action: drop\n    width: 5\n',
      {},
      /rule 1 \(match "age"\): width, origin and edges apply only/,
    ],
    [
      'an unknown PII detector',
      'pii:\n  detectors: [email, passport]\n',
      {},
      /rules-\d+\.yaml:2: unknown PII detector "passport"/,
    ],
    [
      'an unknown protocol in a route',
      'routes:\n  - path: /score\n    protocol: grpc\n',
      {},
      /rules-\d+\.yaml:3: route 1 \(path "\/score"\): unknown protocol "grpc"/,
    ],
    [
      'a bad feature-name list',
      'models:\n  iris:\n    inputs: 3\n',
      {},
      /rules-\d+\.yaml:3: feature names must be a list/,
    ],
    ['an unknown top-level key', 'rule:\n  - match: a\n', {}, /rules-\d+\.yaml:1: rules file: unknown key "rule"/],
    [
      'a JSON file with an unknown action',
      '{\n  "rules": [\n    { "match": "a", "action": "encrypt" }\n  ]\n}\n',
      {},
      /rules-\d+\.json:3: rule 1 \(match "a"\): unknown action "encrypt"/,
    ],
  ])('%s', (_name, text, env, expected) => {
    const path = file(text, text.startsWith('{') ? 'json' : 'yaml');
    const found = problems({ INFERTRACE_CAPTURE_RULES: path, ...env });
    expect(found.join('\n')).toMatch(expected);
    expect(found.every((p) => p.includes('INFERTRACE_CAPTURE_RULES'))).toBe(true);
  });

  it('a missing file names the file', () => {
    expect(problems({ INFERTRACE_CAPTURE_RULES: join(dir, 'absent.yaml') }).join('\n')).toMatch(
      /cannot read the rules file ".*absent\.yaml"/,
    );
  });

  it('a valid file gives no problems, and pseudonymise works with a key', () => {
    const path = file(
      'version: 1\nrules:\n  - match: customer_id\n    action: pseudonymize\n  - match: age\n    action: generalize\n',
    );
    expect(problems({ INFERTRACE_CAPTURE_RULES: path, ...KEY })).toEqual([]);
  });
});

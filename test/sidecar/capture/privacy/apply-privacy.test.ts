import { describe, expect, it } from 'vitest';
import type { Feature } from '../../../../sidecar/capture/extraction.js';
import { MASK, applyPrivacy, type Direction } from '../../../../sidecar/capture/privacy/apply-privacy.js';
import { Pseudonymiser } from '../../../../shared/pseudonyms/hmac.js';
import { SectionReader, isRecord, parseRulesText } from '../../../../sidecar/capture/privacy/rules-file.js';
import { parsePrivacySection, type PrivacyPolicy } from '../../../../sidecar/capture/privacy/rules.js';

const pseudonymiser = new Pseudonymiser('k1', Buffer.from('a-test-key-that-is-long-enough!!'));

function policyFrom(yaml: string): PrivacyPolicy {
  const problems: string[] = [];
  const doc = parseRulesText('rules.yaml', yaml, problems, 'TEST');
  if (!doc || !isRecord(doc.data)) throw new Error(problems.join('\n'));
  const parsed = parsePrivacySection(new SectionReader(doc, problems, 'TEST'), doc.data);
  if (problems.length) throw new Error(problems.join('\n'));
  return { ...parsed, pseudonymiser };
}

const rules = policyFrom(`
rules:
  - { match: email, action: drop }
  - { match: [card_*, ssn], action: mask }
  - { match: customer_id, action: pseudonymise }
  - { match: age, action: generalise, width: 10 }
  - { match: income, action: generalise, edges: [0, 20000, 50000] }
  - { match: label, action: mask, scope: outputs }
  - { match: notes_raw, action: keep, pii: false }
`);

const f = (name: string, ...values: Feature['values']): Feature => ({ name, values });

describe('privacy actions', () => {
  it.each<[string, Feature, Direction, Feature['values'] | 'dropped', boolean]>([
    ['drop', f('email', 'a@b.io'), 'input', 'dropped', true],
    ['drop matches names case-insensitively', f('Email', 'a@b.io'), 'input', 'dropped', true],
    ['mask', f('ssn', '123-45-6789', null), 'input', [MASK, null], true],
    ['mask by pattern', f('card_number', '4111111111111111'), 'input', [MASK], true],
    [
      'pseudonymise',
      f('customer_id', 'C-1001', 7),
      'input',
      [
        pseudonymiser.pseudonymise('C-1001', 'ml.input.customer_id'),
        pseudonymiser.pseudonymise('7', 'ml.input.customer_id'),
      ],
      false,
    ],
    ['generalise by width', f('age', 34, '61', null), 'input', ['30-39', '60-69', null], false],
    ['generalise by edges', f('income', 52000, 1500), 'input', ['>=50000', '0-19999'], false],
    ['generalise masks what is not a number', f('age', 'unknown'), 'input', [MASK], true],
    ['a rule scoped to outputs applies to outputs', f('label', 'fraud'), 'output', [MASK], true],
    ['a rule scoped to outputs leaves inputs', f('label', 'fraud'), 'input', ['fraud'], false],
    ['keep, PII masked in free text', f('comment', 'mail a@b.io', 'fine'), 'input', ['mail [email]', 'fine'], true],
    ['keep with pii: false leaves text alone', f('notes_raw', 'mail a@b.io'), 'input', ['mail a@b.io'], false],
    ['keep masks a Luhn-valid card sent as a number', f('amount', 4111111111111111), 'input', ['[payment_card]'], true],
    [
      'keep masks a 19-digit number past 2^53 (its check digit already lost)',
      f('amount', 4000123456789012345),
      'input',
      ['[payment_card]'],
      true,
    ],
    [
      'keep leaves other numbers alone',
      f('amount', 4111111111111112, 12.5, 1733130000),
      'input',
      [4111111111111112, 12.5, 1733130000],
      false,
    ],
  ])('%s', (_name, feature, direction, expected, redacted) => {
    const out = applyPrivacy([feature], direction, rules, 1000);
    const prefix = direction === 'input' ? 'ml.input.' : 'ml.output.';
    if (expected === 'dropped') expect(out.features).toEqual([]);
    else expect(out.features[0]?.values).toEqual(expected);
    expect(out.redacted).toEqual(redacted ? [prefix + feature.name] : []);
  });

  it.each<[string, string, Feature['values'] | 'dropped']>([
    [
      'default_action drop keeps only what a rule keeps',
      'default_action: drop\nrules: [{ match: age, action: keep }]',
      'dropped',
    ],
    ['pii action drop removes the whole feature', 'pii: { action: drop }', 'dropped'],
    ['pii action off leaves text alone', 'pii: { action: off }', ['call +1 415 555 2671']],
    ['detectors can be narrowed', 'pii: { detectors: [email] }', ['call +1 415 555 2671']],
    ['by default every detector runs', '{}', ['call [phone]']],
  ])('%s', (_name, yaml, expected) => {
    const out = applyPrivacy([f('comment', 'call +1 415 555 2671')], 'input', policyFrom(yaml), 1000);
    if (expected === 'dropped') expect(out.features).toEqual([]);
    else expect(out.features[0]?.values).toEqual(expected);
  });

  it('scans only the window it is given, so a long text costs a bounded scan', () => {
    const text = `${'x'.repeat(50)} a@b.io ${'y'.repeat(500)}`;
    const out = applyPrivacy([f('comment', text)], 'input', rules, 100);
    // The first 100 characters are scanned and kept: 50 x, the address, then 42 y.
    expect(out.features[0]?.values).toEqual([`${'x'.repeat(50)} [email] ${'y'.repeat(42)}`]);
  });
});

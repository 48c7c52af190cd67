import { describe, expect, it } from 'vitest';
import { tokenHashText } from '../../../collector/auth/token-hash.js';
import { parseTokenList } from '../../../collector/auth/token-list.js';
import { TokenSet } from '../../../collector/auth/token-set.js';

const H = tokenHashText('a-token');

describe('the tokens file format', () => {
  it.each([
    ['one line', `sidecar ingest ${H}`, [['sidecar', ['ingest']]]],
    [
      'several scopes, comments, blank lines',
      `# who may do what; and why\n\nops read,admin ${H}   # the on-call team; a "quote"\n`,
      [['ops', ['read', 'admin']]],
    ],
    [
      '";" between entries (the variable)',
      `a ingest ${H}; b read ${tokenHashText('other')}`,
      [
        ['a', ['ingest']],
        ['b', ['read']],
      ],
    ],
    ['upper-case hex', `a ingest ${H.toUpperCase().replace('SHA256', 'sha256')}`, [['a', ['ingest']]]],
  ])('reads %s', (_name, text, expected) => {
    const { entries, problems } = parseTokenList(text, 'f');
    expect(problems).toEqual([]);
    expect(entries.map((e) => [e.name, [...e.scopes]])).toEqual(expected);
  });

  it.each([
    ['two fields', `sidecar ${H}`, 'expected <name>'],
    ['an unknown scope', `sidecar ingest,write ${H}`, 'scopes must be'],
    ['the token itself instead of its hash', 'sidecar ingest itk_supersecretvalue', 'never the token'],
    ['a short hash', 'sidecar ingest sha256:abcd', 'sha256:<64 hex digits>'],
    ['a bad name', `si/de ingest ${H}`, 'the name must be'],
    ['a name twice', `a ingest ${H}\na read ${H}`, 'used twice'],
  ])('refuses %s, naming the entry and never repeating its value', (_name, text, problem) => {
    const { problems } = parseTokenList(text, 'tokens file "t"');
    expect(problems.join('\n')).toContain(problem);
    expect(problems.join('\n')).toMatch(/tokens file "t": entry \d/);
    expect(problems.join('\n')).not.toContain('supersecretvalue');
  });
});

describe('the token set', () => {
  const set = new TokenSet(
    parseTokenList(`a ingest ${tokenHashText('token-a')}\nb read ${tokenHashText('token-b')}`, 'f').entries,
  );
  it.each([
    ['token-a', 'a'],
    ['token-b', 'b'],
    ['token-c', undefined],
    ['token-a ', undefined],
    ['', undefined],
  ])('finds %j as %s', (token, name) => {
    expect(set.find(token)?.name).toBe(name);
  });
});

import { describe, expect, it } from 'vitest';
import { W3CTraceState, parseTraceState, serializeTraceState } from '../../../sidecar/propagation/tracestate.js';

const members = (n: number, from = 1): string =>
  Array.from(
    { length: n },
    (_, i) => `bar${String(i + from).padStart(2, '0')}=${String(i + from).padStart(2, '0')}`,
  ).join(',');

const lcalpha = 'abcdefghijklmnopqrstuvwxyz';
const keyAll = `${lcalpha}0123456789_-*/`;
const valueAll = Array.from({ length: 0x7e - 0x20 + 1 }, (_, i) => String.fromCharCode(0x20 + i))
  .filter((c) => c !== ',' && c !== '=')
  .join('');

describe('parseTraceState', () => {
  it.each([
    ['one member', 'congo=t61rcWkgMzE', [['congo', 't61rcWkgMzE']]],
    [
      'order is kept',
      'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE',
      [
        ['rojo', '00f067aa0ba902b7'],
        ['congo', 't61rcWkgMzE'],
      ],
    ],
    [
      'optional whitespace around members',
      'foo=1 \t , \t bar=2, \t baz=3',
      [
        ['foo', '1'],
        ['bar', '2'],
        ['baz', '3'],
      ],
    ],
    ['leading whitespace', '\t foo=1', [['foo', '1']]],
    ['trailing whitespace', 'foo=1 \t', [['foo', '1']]],
    [
      'empty members (joined empty headers)',
      'foo=1, ,,bar=2,',
      [
        ['foo', '1'],
        ['bar', '2'],
      ],
    ],
    ['an empty header', '', []],
    ['a leading space inside the value is kept', 'foo= 1', [['foo', ' 1']]],
    ['keys may start with a digit', '1foo=1', [['1foo', '1']]],
    [
      'Level 2: @ anywhere but first',
      'foo@=1,foo@@bar=2,foo@bar@baz=3',
      [
        ['foo@', '1'],
        ['foo@@bar', '2'],
        ['foo@bar@baz', '3'],
      ],
    ],
    ['all allowed key and value characters', `${keyAll}=${valueAll}`, [[keyAll, valueAll]]],
    ['all allowed characters with @', `${keyAll}@a-z0-9_-*/=${valueAll}`, [[`${keyAll}@a-z0-9_-*/`, valueAll]]],
    ['a 256-character key', `${'z'.repeat(256)}=1`, [['z'.repeat(256), '1']]],
    ['Level 2: 242 characters before @', `${'t'.repeat(242)}@v=1`, [[`${'t'.repeat(242)}@v`, '1']]],
    ['Level 2: 15 characters after @', `t@${'v'.repeat(15)}=1`, [[`t@${'v'.repeat(15)}`, '1']]],
    [
      '32 members',
      members(32),
      Array.from({ length: 32 }, (_, i) => [`bar${String(i + 1).padStart(2, '0')}`, String(i + 1).padStart(2, '0')]),
    ],
    [
      'several header values combine in order',
      ['foo=1,bar=2', 'rojo=1,congo=2', 'baz=3'],
      [
        ['foo', '1'],
        ['bar', '2'],
        ['rojo', '1'],
        ['congo', '2'],
        ['baz', '3'],
      ],
    ],
    // Duplicated keys: the left-most member is kept (the spec lets a vendor drop duplicates).
    ['a duplicated key once', 'foo=1,foo=1', [['foo', '1']]],
    ['the first value of a key with two values', 'foo=1,foo=2', [['foo', '1']]],
    ['one member of a duplicate across headers', ['foo=1', 'foo=1'], [['foo', '1']]],
    ['the first value of a key across headers', ['foo=1', 'foo=2'], [['foo', '1']]],
    [
      'the others in order beside a duplicate',
      'rojo=1,foo=1,congo=2,foo=3,bar=4',
      [
        ['rojo', '1'],
        ['foo', '1'],
        ['congo', '2'],
        ['bar', '4'],
      ],
    ],
    [
      'keys that only share a prefix',
      'foo=1,foo@tenant=2,tenant@foo=3',
      [
        ['foo', '1'],
        ['foo@tenant', '2'],
        ['tenant@foo', '3'],
      ],
    ],
  ])('keeps %s', (_name, header, expected) => {
    expect(parseTraceState(header)).toEqual(expected);
  });

  it.each([
    ['33 members', members(33)],
    ['33 members received, of which one is a duplicate', `${members(32)},bar01=01`],
    ['a space in the key', 'foo =1'],
    ['an upper-case key', 'FOO=1'],
    ['a dot in the key', 'foo.bar=1'],
    ['a key starting with @', '@foo=1,bar=2'],
    ['a 257-character key', `foo=1,${'z'.repeat(257)}=1`],
    ['= in the value', 'foo=bar=baz'],
    ['an empty value', 'foo=,bar=3'],
    ['a member without =', 'foo,bar=3'],
    ['a tab inside the value', 'foo=a\tb'],
    ['a non-ASCII value', 'foo=é'],
    ['a value longer than 256 characters', `foo=${'v'.repeat(257)}`],
    ['an invalid member after a duplicate', 'foo=1,foo=2,BAR=3'],
  ])('discards the whole header for %s', (_name, header) => {
    expect(parseTraceState(header)).toBeUndefined();
  });
});

describe('serializeTraceState', () => {
  const long = (k: string): [string, string] => [k, 'v'.repeat(200)];
  it.each([
    [
      'fits: unchanged',
      [
        ['a', '1'],
        ['b', '2'],
      ],
      512,
      'a=1,b=2',
    ],
    ['drops entries over 128 characters first', [['a', '1'], long('big'), ['b', '2']], 10, 'a=1,b=2'],
    [
      'then drops from the end',
      [
        ['a', '1'],
        ['b', '2'],
        ['c', '3'],
      ],
      7,
      'a=1,b=2',
    ],
    ['long entries go right-most first', [long('x'), ['a', '1'], long('y')], 210, `x=${'v'.repeat(200)},a=1`],
  ] as const)('%s', (_name, entries, max, expected) => {
    expect(serializeTraceState(entries, max)).toBe(expected);
  });
});

describe('W3CTraceState', () => {
  it('moves a set key to the front and keeps the others in order', () => {
    const ts = new W3CTraceState([
      ['rojo', '1'],
      ['congo', '2'],
    ]).set('congo', '3');
    expect(ts.serialize()).toBe('congo=3,rojo=1');
    expect(ts.unset('rojo').serialize()).toBe('congo=3');
    expect(ts.get('rojo')).toBe('1');
  });

  it('ignores an invalid key or value', () => {
    const ts = new W3CTraceState([['a', '1']]);
    expect(ts.set('BAD', '1').serialize()).toBe('a=1');
    expect(ts.set('ok', 'x=y').serialize()).toBe('a=1');
  });
});

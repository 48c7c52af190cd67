import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SidecarHandle } from '../../sidecar/main.js';
import { headerValues, startTestSidecar } from './support/sidecar-harness.js';
import { startEchoUpstream, type TestUpstream } from './support/upstream.js';

/**
 * The processing-model cases of the W3C Trace Context test suite (test/test.py at HEAD, Level 2
 * grammar), run against a real sidecar whose upstream echoes the headers it receives — the same
 * arrangement the suite uses, where the upstream call plays the suite's callback.
 */

const T = '12345678901234567890123456789012';
const P = '1234567890123456';
const TP = (flags = '01'): string => `00-${T}-${P}-${flags}`;

type Pairs = [string, string][];
interface Outgoing {
  traceId: string;
  parentId: string;
  flags: number;
  /** Combined tracestate entries as received upstream (empty when absent). */
  tracestate: [string, string][];
  tracestateText: string;
  serverTiming: string[];
}

let upstream: TestUpstream;
let sidecar: SidecarHandle;

async function send(headers: Pairs): Promise<Outgoing> {
  const res = await request(`${sidecar.url}/test`, { method: 'POST', headers: headers.flat(), body: '[]' });
  expect(res.statusCode).toBe(200);
  const echo = (await res.body.json()) as { rawHeaders: string[] };
  const parents = headerValues(echo.rawHeaders, 'traceparent');
  expect(parents, 'exactly one traceparent upstream').toHaveLength(1);
  const m = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/.exec(parents[0] as string);
  expect(m, `valid traceparent: ${parents[0]}`).not.toBeNull();
  const states = headerValues(echo.rawHeaders, 'tracestate');
  const text = states.join(',');
  // Like the suite's parser: optional whitespace around members only; a value's leading space is data.
  const tracestate =
    text === ''
      ? []
      : text.split(',').map((raw) => {
          const e = raw.replace(/^[ \t]+|[ \t]+$/g, '');
          const i = e.indexOf('=');
          return [e.slice(0, i), e.slice(i + 1)] as [string, string];
        });
  const st = res.headers['server-timing'];
  return {
    traceId: m?.[1] as string,
    parentId: m?.[2] as string,
    flags: parseInt(m?.[3] as string, 16),
    tracestate,
    tracestateText: text,
    serverTiming: Array.isArray(st) ? st : st ? [st] : [],
  };
}

const keys = (o: Outgoing): string[] => o.tracestate.map(([k]) => k);
const get = (o: Outgoing, k: string): string | undefined => o.tracestate.find(([key]) => key === k)?.[1];

beforeAll(async () => {
  upstream = await startEchoUpstream();
  sidecar = await startTestSidecar(upstream.url, { OTEL_PROPAGATORS: 'tracecontext' });
});
afterAll(async () => {
  await sidecar.close();
  await upstream.close();
});

describe('traceparent: the trace is continued with a new parent id', () => {
  it.each<[string, Pairs]>([
    ['traceparent without tracestate', [['traceparent', TP()]]],
    ['header name TraceParent', [['TraceParent', TP()]]],
    ['header name TrAcEpArEnT', [['TrAcEpArEnT', TP()]]],
    ['header name TRACEPARENT', [['TRACEPARENT', TP()]]],
    ['future version 0xcc', [['traceparent', `cc-${T}-${P}-01`]]],
    ['future version 0xcc with more fields', [['traceparent', `cc-${T}-${P}-01-what-the-future-will-be-like`]]],
    ['leading space', [['traceparent', ` ${TP()}`]]],
    ['leading tab', [['traceparent', `\t${TP()}`]]],
    ['trailing space', [['traceparent', `${TP()} `]]],
    ['trailing tab', [['traceparent', `${TP()}\t`]]],
    ['whitespace on both sides', [['traceparent', `\t ${TP()} \t`]]],
  ])('%s', async (_name, headers) => {
    const out = await send(headers);
    expect(out.traceId).toBe(T);
    expect(out.parentId).not.toBe(P);
  });
});

describe('traceparent: an invalid header restarts the trace', () => {
  it.each<[string, string, string]>([
    ['wrong header name trace-parent', 'trace-parent', TP()],
    ['wrong header name trace.parent', 'trace.parent', TP()],
    ['version 00 with a trailing dot', 'traceparent', `${TP()}.`],
    ['version 00 with more fields', 'traceparent', `${TP()}-what-the-future-will-be-like`],
    ['future version followed by a dot', 'traceparent', `cc-${T}-${P}-01.what-the-future-will-be-like`],
    ['version ff', 'traceparent', `ff-${T}-${P}-01`],
    ['version .0', 'traceparent', `.0-${T}-${P}-01`],
    ['version 0.', 'traceparent', `0.-${T}-${P}-01`],
    ['version 000', 'traceparent', `000-${T}-${P}-01`],
    ['version 0000', 'traceparent', `0000-${T}-${P}-01`],
    ['version 0', 'traceparent', `0-${T}-${P}-01`],
    ['trace id all zero', 'traceparent', `00-${'0'.repeat(32)}-${P}-01`],
    ['trace id starting with a dot', 'traceparent', `00-.${T.slice(1)}-${P}-01`],
    ['trace id ending with a dot', 'traceparent', `00-${T.slice(0, 31)}.-${P}-01`],
    ['trace id too long', 'traceparent', `00-${T}3-${P}-01`],
    ['trace id too short', 'traceparent', `00-${T.slice(0, 31)}-${P}-01`],
    ['parent id all zero', 'traceparent', `00-${T}-${'0'.repeat(16)}-01`],
    ['parent id starting with a dot', 'traceparent', `00-${T}-.${P.slice(1)}-01`],
    ['parent id ending with a dot', 'traceparent', `00-${T}-${P.slice(0, 15)}.-01`],
    ['parent id too long', 'traceparent', `00-${T}-${P}7-01`],
    ['parent id too short', 'traceparent', `00-${T}-${P.slice(0, 15)}-01`],
    ['flags .0', 'traceparent', `00-${T}-${P}-.0`],
    ['flags 0.', 'traceparent', `00-${T}-${P}-0.`],
    ['flags too long', 'traceparent', `00-${T}-${P}-001`],
    ['flags too short', 'traceparent', `00-${T}-${P}-1`],
  ])('%s', async (_name, name, value) => {
    const out = await send([[name, value]]);
    expect(out.traceId).not.toBe(T);
    expect(out.traceId).not.toBe('0'.repeat(32));
  });

  it('two traceparent headers', async () => {
    const out = await send([
      ['traceparent', `00-${T.slice(0, 31)}1-${P}-01`],
      ['traceparent', TP()],
    ]);
    expect([`${T.slice(0, 31)}1`, T]).not.toContain(out.traceId);
  });

  it('a tracestate without a traceparent is discarded', async () => {
    const a = await send([['tracestate', 'foo=1']]);
    const b = await send([['tracestate', 'foo=1,bar=2']]);
    expect(a.tracestate).toEqual([]);
    expect(b.tracestate).toEqual([]);
  });
});

describe('tracestate is carried on', () => {
  const all = 'abcdefghijklmnopqrstuvwxyz0123456789_-*/';
  const value = Array.from({ length: 0x7e - 0x20 + 1 }, (_, i) => String.fromCharCode(0x20 + i))
    .filter((c) => c !== ',' && c !== '=')
    .join('');
  const bars = (from: number, to: number): string =>
    Array.from({ length: to - from + 1 }, (_, i) => {
      const n = String(from + i).padStart(2, '0');
      return `bar${n}=${n}`;
    }).join(',');

  it.each<[string, Pairs, [string, string][]]>([
    [
      'beside a traceparent',
      [['tracestate', 'foo=1,bar=2']],
      [
        ['foo', '1'],
        ['bar', '2'],
      ],
    ],
    ['header name TraceState', [['TraceState', 'foo=1']], [['foo', '1']]],
    ['header name TRACESTATE', [['TRACESTATE', 'foo=1']], [['foo', '1']]],
    [
      'an empty header before a member',
      [
        ['tracestate', ''],
        ['tracestate', 'foo=1'],
      ],
      [['foo', '1']],
    ],
    [
      'an empty header after a member',
      [
        ['tracestate', 'foo=1'],
        ['tracestate', ''],
      ],
      [['foo', '1']],
    ],
    [
      'several headers, combined in order',
      [
        ['tracestate', 'foo=1,bar=2'],
        ['tracestate', 'rojo=1,congo=2'],
        ['tracestate', 'baz=3'],
      ],
      [
        ['foo', '1'],
        ['bar', '2'],
        ['rojo', '1'],
        ['congo', '2'],
        ['baz', '3'],
      ],
    ],
    [
      'optional whitespace around members',
      [['tracestate', 'foo=1 \t , \t bar=2, \t baz=3']],
      [
        ['foo', '1'],
        ['bar', '2'],
        ['baz', '3'],
      ],
    ],
    [
      'tabs and spaces around members',
      [['tracestate', 'foo=1\t \t,\t \tbar=2,\t \tbaz=3']],
      [
        ['foo', '1'],
        ['bar', '2'],
        ['baz', '3'],
      ],
    ],
    ['leading tab', [['tracestate', '\tfoo=1']], [['foo', '1']]],
    ['trailing tab', [['tracestate', 'foo=1\t']], [['foo', '1']]],
    ['all allowed characters', [['tracestate', `${all}=${value}`]], [[all, value]]],
    ['all allowed characters with @', [['tracestate', `${all}@a-z0-9_-*/=${value}`]], [[`${all}@a-z0-9_-*/`, value]]],
    [
      'Level 2 keys with @',
      [['tracestate', 'foo@=1,bar=2']],
      [
        ['foo@', '1'],
        ['bar', '2'],
      ],
    ],
    [
      'Level 2 keys with @@',
      [['tracestate', 'foo@@bar=1,bar=2']],
      [
        ['foo@@bar', '1'],
        ['bar', '2'],
      ],
    ],
    [
      'Level 2 keys with two @',
      [['tracestate', 'foo@bar@baz=1,bar=2']],
      [
        ['foo@bar@baz', '1'],
        ['bar', '2'],
      ],
    ],
    [
      'a 256-character key',
      [
        ['tracestate', 'foo=1'],
        ['tracestate', `${'z'.repeat(256)}=1`],
      ],
      [
        ['foo', '1'],
        ['z'.repeat(256), '1'],
      ],
    ],
    [
      '241 + 14 characters around @',
      [
        ['tracestate', 'foo=1'],
        ['tracestate', `${'t'.repeat(241)}@${'v'.repeat(14)}=1`],
      ],
      [
        ['foo', '1'],
        [`${'t'.repeat(241)}@${'v'.repeat(14)}`, '1'],
      ],
    ],
    [
      'Level 2: 242 characters before @',
      [
        ['tracestate', 'foo=1'],
        ['tracestate', `${'t'.repeat(242)}@v=1`],
      ],
      [
        ['foo', '1'],
        [`${'t'.repeat(242)}@v`, '1'],
      ],
    ],
    [
      'Level 2: 15 characters after @',
      [
        ['tracestate', 'foo=1'],
        ['tracestate', `t@${'v'.repeat(15)}=1`],
      ],
      [
        ['foo', '1'],
        [`t@${'v'.repeat(15)}`, '1'],
      ],
    ],
    // test_tracestate_duplicated_keys: kept as is or one duplicate dropped; the sidecar keeps the left-most.
    ['duplicated key, same value', [['tracestate', 'foo=1,foo=1']], [['foo', '1']]],
    ['duplicated key, two values', [['tracestate', 'foo=1,foo=2']], [['foo', '1']]],
    [
      'duplicated key across headers',
      [
        ['tracestate', 'foo=1'],
        ['tracestate', 'foo=1'],
      ],
      [['foo', '1']],
    ],
    [
      'duplicated key across headers, two values',
      [
        ['tracestate', 'foo=1'],
        ['tracestate', 'foo=2'],
      ],
      [['foo', '1']],
    ],
    [
      'duplicated key among others',
      [
        ['tracestate', 'rojo=1,foo=1'],
        ['tracestate', 'congo=2,foo=2'],
      ],
      [
        ['rojo', '1'],
        ['foo', '1'],
        ['congo', '2'],
      ],
    ],
  ])('%s', async (_name, tracestate, expected) => {
    const out = await send([['traceparent', TP('00')], ...tracestate]);
    expect(out.traceId).toBe(T);
    expect(out.tracestate).toEqual(expected);
  });

  it('32 members are kept, 33 discard the header', async () => {
    const h32: Pairs = [
      ['tracestate', bars(1, 10)],
      ['tracestate', bars(11, 20)],
      ['tracestate', bars(21, 30)],
      ['tracestate', bars(31, 32)],
    ];
    const ok = await send([['traceparent', TP('00')], ...h32]);
    expect(ok.tracestate).toHaveLength(32);
    expect(get(ok, 'bar01')).toBe('01');
    const over = await send([['traceparent', TP('00')], ...h32.slice(0, 3), ['tracestate', bars(31, 33)]]);
    expect(over.traceId).toBe(T);
    expect(over.tracestate).toEqual([]);
  });
});

describe('an invalid tracestate is discarded, the trace kept', () => {
  it.each<[string, Pairs]>([
    ['wrong header name trace-state', [['trace-state', 'foo=1']]],
    ['wrong header name trace.state', [['trace.state', 'foo=1']]],
    ['empty header', [['tracestate', '']]],
    ['space in the key', [['tracestate', 'foo =1']]],
    ['upper-case key', [['tracestate', 'FOO=1']]],
    ['dot in the key', [['tracestate', 'foo.bar=1']]],
    ['key starting with @', [['tracestate', '@foo=1,bar=2']]],
    [
      'a 257-character key',
      [
        ['tracestate', 'foo=1'],
        ['tracestate', `${'z'.repeat(257)}=1`],
      ],
    ],
    ['= in the value', [['tracestate', 'foo=bar=baz']]],
    ['an empty value', [['tracestate', 'foo=,bar=3']]],
  ])('%s', async (_name, tracestate) => {
    const out = await send([['traceparent', TP('00')], ...tracestate]);
    expect(out.traceId).toBe(T);
    expect(out.tracestateText).toBe('');
    expect(keys(out)).toEqual([]);
  });
});

describe('several calls and Level 2 flags', () => {
  it.each<[string, Pairs, boolean]>([
    ['a valid traceparent', [['traceparent', TP()]], true],
    ['no traceparent', [], false],
    ['an all-zero trace id', [['traceparent', `00-${'0'.repeat(32)}-${P}-01`]], false],
  ])('three calls with %s: one trace, three parent ids', async (_name, headers, kept) => {
    const outs = [await send(headers), await send(headers), await send(headers)];
    expect(new Set(outs.map((o) => o.parentId)).size).toBe(3);
    expect(outs.map((o) => o.traceId)).not.toContain('0'.repeat(32));
    if (kept) expect(new Set(outs.map((o) => o.traceId))).toEqual(new Set([T]));
  });

  it.each<[string, number]>([
    ['02', 0x02],
    ['03', 0x03],
    ['00', 0x00],
    ['01', 0x01],
  ])('incoming flags %s: the random-trace-id bit is carried on unchanged', async (flags, expected) => {
    const out = await send([['traceparent', TP(flags)]]);
    expect(out.traceId).toBe(T);
    expect(out.parentId).not.toBe(P);
    expect(out.flags & 0x02).toBe(expected & 0x02);
    expect(out.flags & ~0x03).toBe(0);
  });

  it('a new trace has random ids and says so; reserved flags are zero', async () => {
    const out = await send([['traceparent', `00-${T}-${P}-ff`]]);
    expect(out.flags & ~0x03).toBe(0);
    const fresh = await send([]);
    expect(fresh.flags & 0x02).toBe(0x02);
  });

  it('answers with server-timing trace;desc=<traceparent> of the same trace', async () => {
    const out = await send([['traceparent', TP()]]);
    expect(out.serverTiming).toHaveLength(1);
    const m = /^trace;desc=00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/.exec(out.serverTiming[0] as string);
    expect(m?.[1]).toBe(T);
    expect([P, out.parentId]).not.toContain(m?.[2]);
  });
});

import { describe, expect, it } from 'vitest';
import { formatTraceParent, parseTraceParent } from '../../../sidecar/propagation/traceparent.js';

const T = '0af7651916cd43dd8448eb211c80319c';
const P = 'b7ad6b7169203331';

describe('parseTraceParent (W3C Trace Context Level 2)', () => {
  it.each([
    ['version 00, sampled', `00-${T}-${P}-01`, { version: 0, sampled: true, random: false }],
    ['version 00, not sampled', `00-${T}-${P}-00`, { version: 0, sampled: false, random: false }],
    ['random-trace-id flag', `00-${T}-${P}-02`, { version: 0, sampled: false, random: true }],
    ['sampled and random', `00-${T}-${P}-03`, { version: 0, sampled: true, random: true }],
    ['unknown flags are ignored', `00-${T}-${P}-ff`, { version: 0, sampled: true, random: true }],
    ['future version, same length', `cc-${T}-${P}-01`, { version: 0xcc, sampled: true, random: false }],
    [
      'future version, more fields',
      `cc-${T}-${P}-01-what-the-future-will-be-like`,
      { version: 0xcc, sampled: true, random: false },
    ],
    ['leading space', ` 00-${T}-${P}-01`, { version: 0, sampled: true, random: false }],
    ['leading tab', `\t00-${T}-${P}-01`, { version: 0, sampled: true, random: false }],
    ['trailing space and tab', `00-${T}-${P}-01 \t`, { version: 0, sampled: true, random: false }],
    ['whitespace both sides', `\t 00-${T}-${P}-01 \t`, { version: 0, sampled: true, random: false }],
  ])('accepts %s', (_name, header, expected) => {
    expect(parseTraceParent(header)).toEqual({ traceId: T, parentId: P, ...expected });
  });

  it.each([
    ['absent', undefined],
    ['empty', ''],
    ['version 00 with a trailing character', `00-${T}-${P}-01.`],
    ['version 00 with more fields', `00-${T}-${P}-01-what-the-future-will-be-like`],
    ['future version not followed by a dash', `cc-${T}-${P}-01.what-the-future-will-be-like`],
    ['future version shorter than 55 characters', `cc-${T}-${P}-0`],
    ['version ff', `ff-${T}-${P}-01`],
    ['version with illegal characters (.0)', `.0-${T}-${P}-01`],
    ['version with illegal characters (0.)', `0.-${T}-${P}-01`],
    ['version too long', `000-${T}-${P}-01`],
    ['version too short', `0-${T}-${P}-01`],
    ['upper-case version', `0A-${T}-${P}-01`],
    ['all-zero trace id', `00-${'0'.repeat(32)}-${P}-01`],
    ['trace id with an illegal character', `00-.${T.slice(1)}-${P}-01`],
    ['trace id too long', `00-${T}3-${P}-01`],
    ['trace id too short', `00-${T.slice(1)}-${P}-01`],
    ['upper-case trace id', `00-${T.toUpperCase()}-${P}-01`],
    ['all-zero parent id', `00-${T}-${'0'.repeat(16)}-01`],
    ['parent id with an illegal character', `00-${T}-${P.slice(0, 15)}.-01`],
    ['parent id too long', `00-${T}-${P}7-01`],
    ['parent id too short', `00-${T}-${P.slice(1)}-01`],
    ['flags with an illegal character', `00-${T}-${P}-.0`],
    ['flags too long', `00-${T}-${P}-001`],
    ['flags too short', `00-${T}-${P}-1`],
    ['two values joined by a comma (duplicate headers)', `00-${T}-${P}-01, 00-${T}-${P}-01`],
    ['two header values', [`00-${T}-${P}-01`, `00-${T}-${P}-01`]],
    ['a huge value', `00-${T}-${P}-01${'x'.repeat(10_000)}`],
  ])('rejects %s', (_name, header) => {
    expect(parseTraceParent(header)).toBeUndefined();
  });

  it.each([
    [{ sampled: true, random: true }, `00-${T}-${P}-03`],
    [{ sampled: true, random: false }, `00-${T}-${P}-01`],
    [{ sampled: false, random: true }, `00-${T}-${P}-02`],
    [{ sampled: false, random: false }, `00-${T}-${P}-00`],
  ])('formats version 00 with flags %o', (flags, expected) => {
    expect(formatTraceParent({ traceId: T, spanId: P, ...flags })).toBe(expected);
  });
});

import { describe, expect, it } from 'vitest';
import { DecodeMeter, decodeLimitsFor, HEAP_BYTES_PER_SPAN } from '../../../collector/receiver/decode-meter.js';
import { IngestError } from '../../../collector/receiver/ingest-errors.js';
import { MemoryBudget } from '../../../collector/receiver/memory-budget.js';
import { parseMeteredJson, scanJsonValues } from '../../../collector/receiver/metered-json.js';

const meter = (maxValues = Infinity, maxSpans = Infinity, budget?: MemoryBudget) =>
  new DecodeMeter({ maxValues, maxSpans }, budget?.lease());

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err instanceof IngestError ? err.code : String(err);
  }
};

describe('scanJsonValues', () => {
  it.each([
    ['a scalar', '7', 0],
    ['an empty array', '[]', 1],
    ['three empty objects', '[{},{},{}]', 6],
    ['brackets and commas inside strings', '["a,[{b", "}\\"],{"]', 2],
    ['an escaped backslash ending a string', '["\\\\",{}]', 3],
    ['OTLP attributes', '[{"key":"k","value":{"stringValue":"v"}}]', 4],
  ])('counts %s', (_name, text, expected) => {
    const m = meter();
    scanJsonValues(Buffer.from(text), m);
    expect(m.values).toBe(expected);
  });

  it.each([
    ['256 levels', 256, undefined],
    ['257 levels', 257, 'too_deep'],
    ['brackets in strings do not count', 0, undefined],
  ])('limits nesting: %s', (_name, depth, code) => {
    const text = depth === 0 ? `["${'['.repeat(1000)}"]` : `${'['.repeat(depth)}${']'.repeat(depth)}`;
    expect(codeOf(() => scanJsonValues(Buffer.from(text), meter()))).toBe(code);
  });

  it('stops with too_many_values as soon as the limit is passed', () => {
    expect(codeOf(() => scanJsonValues(Buffer.from(`[${'{},'.repeat(10_000)}{}]`), meter(1000)))).toBe(
      'too_many_values',
    );
  });

  it('charges the JSON text and the values to the budget, refusing past it', () => {
    const budget = new MemoryBudget(1024);
    expect(
      codeOf(() => parseMeteredJson(Buffer.from(`[${'1,'.repeat(600)}1]`), meter(Infinity, Infinity, budget))),
    ).toBe('memory_budget_exceeded');
    expect(budget.stats().refusals).toBe(1);
  });
});

describe('DecodeMeter', () => {
  it('refuses the span past maxSpans with too_many_spans', () => {
    const m = meter(Infinity, 2);
    m.span();
    m.span();
    expect(codeOf(() => m.span())).toBe('too_many_spans');
  });

  it('charges each span to its lease, which gives it back on release', () => {
    const budget = new MemoryBudget(10 * HEAP_BYTES_PER_SPAN);
    const lease = budget.lease();
    const m = new DecodeMeter({ maxValues: Infinity, maxSpans: Infinity }, lease);
    for (let i = 0; i < 10; i++) m.span();
    expect(codeOf(() => m.span())).toBe('memory_budget_exceeded');
    lease.release();
    expect(budget.stats().inUseBytes).toBe(0);
  });

  it.each([
    [64 * 1024 * 1024, 4_194_304, 131_072],
    [1024 * 1024, 65_536, 2_048],
    [1024, 10_000, 1_000],
  ])('limits follow a body limit of %i bytes', (bodyLimit, maxValues, maxSpans) => {
    expect(decodeLimitsFor(bodyLimit)).toEqual({ maxValues, maxSpans });
  });
});

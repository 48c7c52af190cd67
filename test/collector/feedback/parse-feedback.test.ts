import { describe, expect, it } from 'vitest';
import { MAX_FEEDBACK_ITEMS, parseFeedback } from '../../../collector/feedback/parse-feedback.js';

const NOW = 1_750_000_000_000;

describe('parseFeedback', () => {
  it.each([
    [
      'one object with a label',
      { request_id: 'r', label: 'cat' },
      [{ requestId: 'r', row: null, truth: { kind: 'label', label: 'cat' }, feedbackMs: NOW }],
    ],
    ['a boolean label', { request_id: 'r', label: true }, [{ truth: { kind: 'label', label: true } }]],
    ['a class index', { request_id: 'r', label: 2 }, [{ truth: { kind: 'label', label: 2 } }]],
    ['a regression value', { request_id: 'r', value: 2.5 }, [{ truth: { kind: 'value', value: 2.5 } }]],
    [
      'epoch-ms timestamp',
      { request_id: 'r', value: 1, timestamp: 1_700_000_000_000 },
      [{ feedbackMs: 1_700_000_000_000 }],
    ],
    [
      'RFC 3339 timestamp',
      { request_id: 'r', value: 1, timestamp: '2024-06-10T06:13:20Z' },
      [{ feedbackMs: Date.parse('2024-06-10T06:13:20Z') }],
    ],
    ['a batch row', { request_id: 'r', label: 'a', row: 3 }, [{ row: 3 }]],
    [
      'an array',
      [
        { request_id: 'a', label: 'x' },
        { request_id: 'b', value: 0 },
      ],
      [{ requestId: 'a' }, { requestId: 'b' }],
    ],
  ])('accepts %s', (_name, body, expected) => {
    const result = parseFeedback(body, NOW);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.items).toMatchObject(expected);
      for (const i of result.items) expect(i.receivedMs).toBe(NOW);
    }
  });

  it.each([
    ['neither label nor value', { request_id: 'r' }, 'exactly one of "label"'],
    ['both label and value', { request_id: 'r', label: 'a', value: 1 }, 'exactly one of "label"'],
    ['a fractional label', { request_id: 'r', label: 1.5 }, 'send "value" for a regression target'],
    ['an empty label', { request_id: 'r', label: '' }, '"label" must be a class'],
    ['a text value', { request_id: 'r', value: '3' }, '"value" must be a finite number'],
    [
      'a bad timestamp',
      { request_id: 'r', value: 1, timestamp: 'yesterday' },
      '"timestamp" must be epoch milliseconds',
    ],
    ['a negative row', { request_id: 'r', value: 1, row: -1 }, '"row" must be a 0-based row index'],
    ['no request id', { label: 'a' }, '"request_id" must be'],
    ['an empty array', [], 'empty array'],
    ['a non-object item', ['r'], 'item 0: must be an object'],
  ])('refuses %s', (_name, body, message) => {
    const result = parseFeedback(body, NOW);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.join('\n')).toContain(message);
  });

  it('names every bad item of an array by index and request id', () => {
    const result = parseFeedback(
      [{ request_id: 'ok', label: 'a' }, { request_id: 'b1' }, { request_id: 'b2', value: 'x' }],
      NOW,
    );
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems).toHaveLength(2);
      expect(result.problems[0]).toContain('item 1 (request_id "b1")');
      expect(result.problems[1]).toContain('item 2 (request_id "b2")');
    }
  });

  it('refuses more items than the limit', () => {
    const body = Array.from({ length: MAX_FEEDBACK_ITEMS + 1 }, (_, i) => ({ request_id: `r${i}`, label: 'a' }));
    const result = parseFeedback(body, NOW);
    expect(result.ok || result.problems[0]).toContain(`at most ${MAX_FEEDBACK_ITEMS}`);
  });
});

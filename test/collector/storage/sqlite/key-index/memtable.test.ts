import { describe, expect, it } from 'vitest';
import { KEY_KIND } from '../../../../../collector/storage/sqlite/key-index/keys.js';
import { Memtable } from '../../../../../collector/storage/sqlite/key-index/memtable.js';

const span = (row: number, traceId = 't'.repeat(32), spanId = `s${row}`, kind = 2) => ({ row, traceId, spanId, kind });

describe('memtable', () => {
  it('finds recent spans by trace, request and subject key', () => {
    const m = new Memtable();
    m.addSpan(7, span(1), 100, []);
    m.addSpan(7, span(2), undefined, [200]);
    m.addSpan(9, span(3, 'u'.repeat(32)), 100, [200]);
    expect(m.rows(KEY_KIND.trace, 7)).toEqual([1, 2]);
    expect(m.rows(KEY_KIND.request, 100)).toEqual([1, 3]);
    expect(m.rows(KEY_KIND.subject, 200)).toEqual([2, 3]);
    expect(m.rows(KEY_KIND.trace, 8)).toEqual([]);
    expect(m.hasSpan(7, 't'.repeat(32), 's2', 2)).toBe(true);
    expect(m.hasSpan(7, 't'.repeat(32), 's2', 3)).toBe(false);
    expect(m.hasSpan(7, 'x'.repeat(32), 's2', 2)).toBe(false);
  });

  it('undoes what was added after begin() when the transaction rolls back', () => {
    const m = new Memtable();
    m.addSpan(7, span(1), 100, []);
    m.begin();
    m.addSpan(7, span(2), 100, [300]);
    m.addSpan(8, span(3), undefined, []);
    m.rollback();
    expect([m.spans, m.firstRow, m.lastRow]).toEqual([1, 1, 1]);
    expect(m.rows(KEY_KIND.trace, 7)).toEqual([1]);
    expect(m.rows(KEY_KIND.trace, 8)).toEqual([]);
    expect(m.rows(KEY_KIND.request, 100)).toEqual([1]);
    expect(m.rows(KEY_KIND.subject, 300)).toEqual([]);
  });

  it('lists its entries as (kind, key, row) triples sorted for a run', () => {
    const m = new Memtable();
    m.addSpan(2 ** 40, span(1), 5, []);
    m.addSpan(3, span(2), 5, [9]);
    m.addSpan(2 ** 40, span(3), undefined, []);
    expect(m.sortedTriples()).toEqual([0, 3, 2, 0, 2 ** 40, 1, 0, 2 ** 40, 3, 1, 5, 1, 1, 5, 2, 2, 9, 2]);
    expect(m.entryCount()).toBe(6);
  });
});

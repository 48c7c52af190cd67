import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Outbox } from '../../../collector/forwarding/outbox.js';
import { outboxStep } from '../../../collector/forwarding/outbox-schema.js';
import { openDatabase } from '../../../collector/storage/sqlite/open.js';

let dir: string;
let db: Database.Database;
const open = (): Database.Database => openDatabase({ path: join(dir, 'outbox.db') }, [outboxStep(1)]);
const frag = (n: number, text = `x${n}`): { spanCount: number; fragment: string } => ({ spanCount: n, fragment: text });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'infertrace-outbox-'));
  db = open();
});
afterEach(async () => {
  if (db.open) db.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the export outbox', () => {
  it('hands out the oldest rows first, up to a batch of spans, at least one row', () => {
    const box = new Outbox(db, 100);
    box.add('a', [frag(2, 'r1'), frag(3, 'r2'), frag(4, 'r3')]);
    expect(box.take('a', 5).map((r) => r.fragment)).toStrictEqual(['r1', 'r2']);
    expect(box.take('a', 1).map((r) => r.fragment)).toStrictEqual(['r1']);
    expect(box.take('b', 5)).toStrictEqual([]);
  });

  it('keeps lanes apart and counts their spans', () => {
    const box = new Outbox(db, 100);
    box.add('a', [frag(2)]);
    box.add('b', [frag(5)]);
    expect([box.pendingSpans('a'), box.pendingSpans('b')]).toStrictEqual([2, 5]);
    expect([...box.lanes()]).toStrictEqual([
      ['a', 2],
      ['b', 5],
    ]);
  });

  it('removes settled rows and records failed attempts on the others', () => {
    const box = new Outbox(db, 100);
    box.add('a', [frag(2, 'r1'), frag(3, 'r2')]);
    const [first, second] = box.take('a', 10);
    expect(box.remove('a', first === undefined ? [] : [first])).toBe(2);
    box.markFailed('a', second === undefined ? [] : [second]);
    expect(box.take('a', 10).map((r) => [r.fragment, r.attempts])).toStrictEqual([['r2', 1]]);
    expect(box.pendingSpans('a')).toBe(3);
  });

  it.each([
    ['within the bound', [3, 3], 0, 6],
    ['one over: the oldest row goes', [3, 3, 1], 3, 4],
    ['a single fragment larger than the bound', [12], 12, 0],
  ])('stays within its bound of 6 spans: %s', (_label, sizes, dropped, pending) => {
    const box = new Outbox(db, 6);
    let total = 0;
    for (const n of sizes) total += box.add('a', [frag(n)]);
    expect([total, box.pendingSpans('a')]).toStrictEqual([dropped, pending]);
  });

  it('never drops rows that are being sent', () => {
    const box = new Outbox(db, 4);
    box.add('a', [frag(3, 'sending')]);
    const inFlight = box.take('a', 10);
    expect(box.add('a', [frag(2, 'new')])).toBe(2); // only the new row can make room
    expect(box.remove('a', inFlight)).toBe(3);
    expect(box.pendingSpans('a')).toBe(0);
  });

  it('survives closing and reopening the database', () => {
    new Outbox(db, 100).add('a', [frag(2, 'r1'), frag(1, 'r2')]);
    db.close();
    db = open();
    const box = new Outbox(db, 100);
    expect([box.pendingSpans('a'), box.take('a', 10).map((r) => r.fragment)]).toStrictEqual([3, ['r1', 'r2']]);
  });

  it('empties a lane', () => {
    const box = new Outbox(db, 100);
    box.add('gone', [frag(4)]);
    expect([box.clear('gone'), box.pendingSpans('gone'), box.lanes().size]).toStrictEqual([4, 0, 0]);
  });
});

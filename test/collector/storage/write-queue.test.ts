import { describe, expect, it } from 'vitest';
import type { SpanRecord } from '../../../shared/span-record.js';
import { StoreFullError } from '../../../collector/storage/span-store.js';
import { createWriteQueue } from '../../../collector/storage/write-queue.js';
import { makeSpan } from './span-fixtures.js';

const spans = (n: number): SpanRecord[] => Array.from({ length: n }, () => makeSpan());

describe('write queue', () => {
  it('coalesces many callers into one transaction and settles each after it', async () => {
    const commits: number[] = [];
    const q = createWriteQueue(
      { commit: (entries) => commits.push(entries.flat().length), flushDelayMs: 5 },
      () => new Error('closed'),
    );
    const settled: number[] = [];
    await Promise.all([1, 2, 3, 4].map((n) => q.enqueue(spans(n)).then(() => settled.push(n))));
    expect(commits).toEqual([10]);
    expect(settled.sort()).toEqual([1, 2, 3, 4]);
    expect(q.stats()).toMatchObject({ committedSpans: 10, committedBatches: 1, queuedSpans: 0 });
  });

  it.each([
    [100, 40, [80, 80]], // whole callers only: a third 40 would pass 100
    [50, 50, [50, 50, 50, 50]],
    [1000, 10, [40]],
    [30, 40, [30, 10, 30, 10, 30, 10, 30, 10]], // a caller larger than a batch goes in batch-sized parts
  ])('with batches of at most %i spans, four callers of %i spans commit as %j', async (maxBatch, each, expected) => {
    const commits: number[] = [];
    const q = createWriteQueue(
      { commit: (e) => commits.push(e.flat().length), maxBatchSpans: maxBatch, flushDelayMs: 1000 },
      () => new Error('closed'),
    );
    const callers = Array.from({ length: 4 }, () => q.enqueue(spans(each)));
    q.drain();
    await Promise.all(callers);
    expect(commits).toEqual(expected);
  });

  it('settles a caller split in parts once: after all its parts committed, or at the first that failed', async () => {
    let commitNo = 0;
    const q = createWriteQueue(
      {
        commit: () => {
          if (++commitNo === 2) throw new Error('disk full');
        },
        maxBatchSpans: 30,
        flushDelayMs: 1000,
      },
      () => new Error('closed'),
    );
    const failing = q.enqueue(spans(100));
    const next = q.enqueue(spans(20));
    q.drain();
    await expect(failing).rejects.toThrow('disk full');
    await expect(next).resolves.toBeUndefined();
    expect(commitNo).toBe(4); // 30, 30 (fails), 30, then the last 10 with the next caller's 20
    expect(q.stats()).toMatchObject({ committedSpans: 90, failedBatches: 1, queuedSpans: 0 });
  });

  it('does not acknowledge before the commit', async () => {
    let committed = false;
    const q = createWriteQueue(
      {
        commit: () => {
          committed = true;
        },
        flushDelayMs: 20,
      },
      () => new Error('closed'),
    );
    let acknowledged = false;
    const p = q.enqueue(spans(1)).then(() => {
      acknowledged = true;
      expect(committed).toBe(true);
    });
    await Promise.resolve();
    expect(acknowledged).toBe(false);
    await p;
    expect(acknowledged).toBe(true);
  });

  it('rejects every caller of a failed batch with the mapped error, and carries on', async () => {
    let fail = true;
    const q = createWriteQueue(
      {
        commit: () => {
          if (fail) throw new Error('SQLITE_FULL');
        },
        mapError: (e) => new Error(`mapped: ${(e as Error).message}`),
        flushDelayMs: 1,
      },
      () => new Error('closed'),
    );
    const results = await Promise.allSettled([q.enqueue(spans(2)), q.enqueue(spans(3))]);
    expect(results.map((r) => (r.status === 'rejected' ? (r.reason as Error).message : 'ok'))).toEqual([
      'mapped: SQLITE_FULL',
      'mapped: SQLITE_FULL',
    ]);
    fail = false;
    await expect(q.enqueue(spans(1))).resolves.toBeUndefined();
    expect(q.stats()).toMatchObject({ failedBatches: 1, committedBatches: 1, committedSpans: 1 });
  });

  it('refuses writes beyond the bounded queue with StoreFullError and a Retry-After', async () => {
    const q = createWriteQueue(
      { commit: () => {}, maxQueuedSpans: 10, maxBatchSpans: 1000, flushDelayMs: 1000 },
      () => new Error('closed'),
    );
    const first = q.enqueue(spans(8));
    const refused = await q.enqueue(spans(3)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(StoreFullError);
    expect((refused as StoreFullError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    const fits = q.enqueue(spans(2));
    expect(q.stats()).toMatchObject({ queuedSpans: 10, refusedWrites: 1 });
    q.drain();
    await Promise.all([first, fits]);
    expect(q.stats().queuedSpans).toBe(0);
  });

  it('takes one write larger than the whole queue when the queue is empty', async () => {
    const commits: number[] = [];
    const q = createWriteQueue(
      { commit: (e) => commits.push(e.flat().length), maxQueuedSpans: 5, flushDelayMs: 1 },
      () => new Error('closed'),
    );
    await q.enqueue(spans(9));
    expect(commits).toEqual([9]);
  });

  it('drains what waits on close and refuses writes afterwards', async () => {
    const commits: number[] = [];
    const q = createWriteQueue(
      { commit: (e) => commits.push(e.flat().length), flushDelayMs: 10_000 },
      () => new Error('the store is closed'),
    );
    const pending = q.enqueue(spans(4));
    q.close();
    await pending;
    expect(commits).toEqual([4]);
    await expect(q.enqueue(spans(1))).rejects.toThrow('the store is closed');
  });

  it('resolves an empty write at once', async () => {
    const q = createWriteQueue(
      {
        commit: () => {
          throw new Error('must not commit');
        },
      },
      () => new Error('closed'),
    );
    await expect(q.enqueue([])).resolves.toBeUndefined();
  });
});

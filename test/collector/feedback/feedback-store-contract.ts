import { describe, expect, it } from 'vitest';
import type { FeedbackStore } from '../../../collector/feedback/feedback-store.js';
import type { PendingFeedback } from '../../../collector/feedback/feedback-types.js';
import { HOUR, item, label, record, T, value } from './feedback-fixtures.js';

/** The FeedbackStore contract, run against every implementation. `open` gives a fresh, empty store. */
export function feedbackStoreContract(name: string, open: () => { store: FeedbackStore; close?: () => void }): void {
  const pending = (requestId: string, extra: Partial<PendingFeedback> = {}): PendingFeedback => ({
    ...item(requestId, label('a')),
    attempts: 0,
    nextAttemptMs: T,
    ...extra,
  });

  describe(`FeedbackStore contract: ${name}`, () => {
    const withStore = (test: (store: FeedbackStore) => void) => () => {
      const { store, close } = open();
      try {
        test(store);
      } finally {
        close?.();
      }
    };

    it(
      'round-trips a record exactly, labels keeping their type',
      withStore((store) => {
        const rows = [
          record({ requestId: 'a', truth: label('1'), prediction: '1', subject: 's' }),
          record({ requestId: 'b', truth: label(1), prediction: 1 }),
          record({ requestId: 'c', truth: label(false), prediction: true }),
          record({ requestId: 'd', truth: value(2.25), prediction: 2.5, row: 3, slices: { x: 1, y: true, z: 'q' } }),
          record({ requestId: 'e', prediction: null }),
        ];
        store.upsert(rows);
        for (const r of rows) expect(store.get({ requestId: r.requestId, row: r.row })).toEqual(r);
        expect(store.get({ requestId: 'zzz', row: 0 })).toBeUndefined();
        expect(store.get({ requestId: 'a', row: null })).toEqual(rows[0]);
      }),
    );

    it(
      'keeps the latest truth per (request id, row)',
      withStore((store) => {
        store.upsert([record({ truth: label('no') })]);
        store.upsert([
          record({ truth: label('yes'), feedbackMs: T + 2 * HOUR }),
          record({ row: 1, truth: label('other') }),
        ]);
        expect(store.get({ requestId: 'r-1', row: 0 })?.truth).toEqual(label('yes'));
        expect(store.get({ requestId: 'r-1', row: 1 })?.truth).toEqual(label('other'));
        expect(store.counts().joined).toBe(2);
      }),
    );

    it(
      'scans one model by prediction time, version and slice',
      withStore((store) => {
        store.upsert([
          record({ requestId: 'late', predictionMs: T + 2 * HOUR }),
          record({ requestId: 'early', predictionMs: T }),
          record({ requestId: 'v2', version: '2', predictionMs: T + HOUR }),
          record({ requestId: 'us', predictionMs: T + HOUR, slices: { 'ml.input.region': 'us' } }),
          record({ requestId: 'other-model', model: 'churn' }),
          record({ requestId: 'out-of-range', predictionMs: T + 3 * HOUR }),
        ]);
        const ids = (q: Parameters<FeedbackStore['scan']>[0]) => [...store.scan(q)].map((r) => r.requestId);
        const range = { model: 'fraud', fromMs: T, toMs: T + 3 * HOUR };
        expect(ids(range)).toEqual(['early', expect.any(String), expect.any(String), 'late']);
        expect(new Set(ids(range).slice(1, 3))).toEqual(new Set(['v2', 'us']));
        expect(ids({ ...range, version: '2' })).toEqual(['v2']);
        expect(ids({ ...range, where: { 'ml.input.region': 'us' } })).toEqual(['us']);
        expect(ids({ ...range, model: 'none' })).toEqual([]);
      }),
    );

    it(
      'keeps pending feedback until it joins, is dropped or expires',
      withStore((store) => {
        store.addPending([
          pending('p1', { receivedMs: T }),
          pending('p2', { receivedMs: T + 1, row: 2 }),
          pending('p3', { receivedMs: T + 2, nextAttemptMs: T + HOUR }),
        ]);
        expect(store.duePending(T, 10).map((p) => p.requestId)).toEqual(['p1', 'p2']);
        expect(store.duePending(T, 1).map((p) => p.requestId)).toEqual(['p1']);
        expect(store.duePending(T, 10)[1]).toEqual(pending('p2', { receivedMs: T + 1, row: 2 }));

        store.reschedulePending({ requestId: 'p1', row: null }, T + HOUR);
        expect(store.duePending(T, 10).map((p) => p.requestId)).toEqual(['p2']);
        expect(store.duePending(T + HOUR, 10).find((p) => p.requestId === 'p1')?.attempts).toBe(1);

        store.upsert([record({ requestId: 'p1', row: 0 })]);
        store.removePending({ requestId: 'p2', row: 2 });
        expect(store.counts()).toEqual({ joined: 1, pending: 1 });
        expect(store.expirePending(T + 3)).toBe(1);
        expect(store.counts().pending).toBe(0);
      }),
    );

    it(
      'replaces a pending entry with the same key (latest wins)',
      withStore((store) => {
        store.addPending([pending('p', { truth: label('old'), attempts: 4 })]);
        store.addPending([pending('p', { truth: label('new') })]);
        expect(store.duePending(T, 10)).toEqual([pending('p', { truth: label('new') })]);
      }),
    );

    it(
      "erases a data subject's feedback",
      withStore((store) => {
        store.upsert([
          record({ requestId: 'a', subject: 's1' }),
          record({ requestId: 'b', subject: 's2' }),
          record({ requestId: 'c', subject: 's1', row: 1 }),
        ]);
        expect(store.deleteBySubject('s1')).toBe(2);
        expect(store.deleteBySubject('s1')).toBe(0);
        expect(store.counts().joined).toBe(1);
      }),
    );

    it(
      'returns copies',
      withStore((store) => {
        store.upsert([record()]);
        const got = store.get({ requestId: 'r-1', row: 0 })!;
        got.slices['x'] = 'changed';
        expect(store.get({ requestId: 'r-1', row: 0 })?.slices).not.toHaveProperty('x');
      }),
    );
  });
}

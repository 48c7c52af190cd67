import { afterEach, describe, expect, it } from 'vitest';
import type { SpanRecord } from '../../../shared/span-record.js';
import { startSubjectCollector, type SubjectCollector } from './subject-collector.js';
import { batchSpan, databaseBytes, driftSummaries, pseudonymOf, subjectSpan } from './subject-fixtures.js';

/**
 * Erasure (GDPR Art. 17) end to end through the HTTP API: both modes, the byte scan of the
 * database, its WAL and shared memory, batches shared with other people, and the drift summaries.
 */
let open: SubjectCollector[] = [];
afterEach(async () => {
  await Promise.all(open.map((c) => c.close()));
  open = [];
});
async function collector(flags: Record<string, string> = {}): Promise<SubjectCollector> {
  const c = await startSubjectCollector(flags);
  open.push(c);
  return c;
}

/** Alice's 10 spans, Bob's 10, Carol's 5, and a batch with a row of each. */
async function seed(c: SubjectCollector): Promise<SpanRecord[]> {
  const spans = [
    ...Array.from({ length: 10 }, (_, i) => subjectSpan('alice', 'alice', i)),
    ...Array.from({ length: 10 }, (_, i) => subjectSpan('bob', 'bob', i)),
    ...Array.from({ length: 5 }, (_, i) => subjectSpan('carol', 'carol', i)),
    batchSpan(['alice', 'bob', 'carol'], 'one'),
  ];
  await c.parts().store.writeSpans(spans);
  return spans;
}

const ALICE_MARKERS = ['NAME-alice', 'req-alice-', 'agent-alice', 'NAME-alice-batch-one'];

describe.each(['delete', 'anonymise'] as const)('erasure, mode %s', (mode) => {
  it("leaves no byte of the subject in the database, WAL or shared memory, and everyone else's data intact", async () => {
    const c = await collector();
    await seed(c);
    const alice = pseudonymOf('alice');
    expect(databaseBytes(c.db)).toContain('NAME-alice');

    const res = await c.call('POST', '/api/subjects/erase', { subject: 'alice', mode });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ action: 'erase', status: 'done', params: { mode, given: 'raw' } });
    const spans = res.body.counts.spans;
    expect(spans.batchRowsRemoved).toBe(1);
    expect([spans.deleted, spans.rewritten]).toEqual(mode === 'delete' ? [10, 1] : [0, 11]);
    expect(res.body.result.checkpoint).toBe('truncated');

    const bytes = databaseBytes(c.db);
    for (const marker of [...ALICE_MARKERS, alice, alice.slice(8)]) expect(bytes).not.toContain(marker);
    expect(bytes).not.toContain('alice');
    // Everyone else's data is intact: Bob's spans, and Bob's and Carol's rows of the batch.
    const store = c.parts().store;
    expect(await store.findTraceIdsBySubject(pseudonymOf('bob'))).toHaveLength(11);
    expect(await store.findTraceIdsBySubject(pseudonymOf('carol'))).toHaveLength(6);
    expect(await store.findTraceIdsBySubject(alice)).toEqual([]);
    const [batchTrace] = await store.findTraceIdsByRequestId('req-batch-one');
    const [batch] = await store.getTrace(batchTrace as string);
    expect(batch?.attributes).toMatchObject({
      'enduser.pseudo.id': [pseudonymOf('bob'), pseudonymOf('carol')],
      'ml.batch.size': 2,
      'ml.input.name': ['NAME-bob-batch-one', 'NAME-carol-batch-one'],
      'ml.input.amount': [501, 502],
    });
    expect(databaseBytes(c.db)).toContain('NAME-bob-');
  });

  it('answers a second erasure of the same subject with nothing left to do', async () => {
    const c = await collector();
    await seed(c);
    await c.call('POST', '/api/subjects/erase', { subject: 'alice', mode });
    const again = await c.call('POST', '/api/subjects/erase', { subject: pseudonymOf('alice'), mode });
    expect(again.status).toBe(200);
    expect(again.body.counts.spans).toMatchObject({ deleted: 0, rewritten: 0 });
    expect(again.body.counts.drift).toEqual({ removed: 0, notFound: 0 });
  });
});

describe('erasure', () => {
  it('anonymise keeps the spans for latency and errors, without anything that identifies the person', async () => {
    const c = await collector();
    await seed(c);
    const [trace] = await c.parts().store.findTraceIdsByRequestId('req-alice-3');
    await c.call('POST', '/api/subjects/erase', { subject: 'alice', mode: 'anonymise' });
    const [span] = await c.parts().store.getTrace(trace as string);
    expect(span?.attributes).toEqual({ 'ml.model.name': 'credit', 'ml.capture': 'erased' });
    expect(span?.endTimeUnixNano).toBeGreaterThan(0n);
  });

  it('leaves drift summaries equal to summaries built from the remaining data alone', async () => {
    const c = await collector();
    await seed(c);
    await c.call('POST', '/api/subjects/erase', { subject: 'alice', mode: 'delete' });
    const db = c.parts().subjects.sqlite.db;
    const traceIds = (db.prepare('SELECT DISTINCT hex(trace_id) AS t FROM spans').all() as { t: string }[]).map((r) =>
      r.t.toLowerCase(),
    );
    const remaining = (await Promise.all(traceIds.map((t) => c.parts().store.getTrace(t)))).flat();
    expect(remaining).toHaveLength(16);

    const fresh = await collector();
    await fresh.parts().store.writeSpans(remaining);
    const [erasedDb, freshDb] = [c.db, fresh.db];
    await c.stop();
    await fresh.stop();
    const after = driftSummaries(erasedDb);
    expect(Object.keys(after).length).toBeGreaterThan(0);
    expect(after).toEqual(driftSummaries(freshDb));
  });
});

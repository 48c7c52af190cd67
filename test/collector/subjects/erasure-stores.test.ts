import { afterEach, describe, expect, it } from 'vitest';
import { FakeReceiver, waitFor } from '../support/fake-receiver.js';
import { startCaptureServer, type CaptureServer } from '../support/capture-server.js';
import { startSubjectCollector, type SubjectCollector } from './subject-collector.js';
import { batchSpan, pseudonymOf, subjectSpan } from './subject-fixtures.js';

/**
 * Erasure reaches every store beside the spans: the export outbox (purged before delivery, the
 * rewritten batch sent instead; the receipt names the destination), feedback and pending feedback,
 * alert exemplars and moved bins, and the erasure webhook.
 */
let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function seeded(flags: Record<string, string> = {}): Promise<SubjectCollector> {
  const c = await startSubjectCollector(flags);
  cleanup.push(() => c.close());
  await c
    .parts()
    .store.writeSpans([
      ...Array.from({ length: 5 }, (_, i) => subjectSpan('alice', 'alice', i)),
      ...Array.from({ length: 5 }, (_, i) => subjectSpan('bob', 'bob', i)),
      batchSpan(['alice', 'bob', 'carol'], 'one'),
    ]);
  return c;
}

describe('erasure beyond the spans', () => {
  it('purges the outbox before delivery, forwards the rewritten batch, and lists the destination in the receipt', async () => {
    const jaeger = await new FakeReceiver('/v1/traces').up();
    cleanup.push(() => jaeger.down());
    jaeger.answer = () => ({ status: 503 }); // down: everything waits in the outbox
    const c = await seeded({
      forward: `jaeger=${jaeger.url.replace('/v1/traces', '')}`,
      'forward-backoff-max': '200ms',
    });
    const res = await c.call('POST', '/api/subjects/erase', { subject: 'alice' });
    expect(res.body.result).not.toHaveProperty('error');
    expect(res.body.counts.outbox).toMatchObject({ spansRemoved: 5, spansRequeued: 1 });
    expect(res.body.result.destinations).toEqual([
      {
        kind: 'otlp',
        url: expect.stringContaining('127.0.0.1'),
        heldBack: 6,
        maybeSentSpans: 0,
        storedFrom: null,
        storedTo: null,
      },
    ]);
    const erasedAt = Date.now();
    jaeger.answer = () => ({ status: 200, body: '{}' });
    const after = (): string[] => jaeger.received.filter((r) => r.at > erasedAt).map((r) => r.body);
    await waitFor('the forwarded spans', () => after().some((b) => b.includes('NAME-bob-batch-one')));
    const sent = after().join('\n');
    expect(sent).not.toContain('NAME-alice');
    expect(sent).not.toContain(pseudonymOf('alice'));
    expect(sent).toContain('NAME-bob-0');
  });

  it('deletes joined and pending feedback of the subject’s requests, keeping other people’s', async () => {
    const c = await seeded();
    const db = c.parts().subjects.sqlite.db;
    const joined =
      db.prepare(`INSERT INTO feedback (request_id, row, model, version, trace_id, span_id, subject, output,
      prediction, label, value, prediction_ms, feedback_ms, received_ms, slices) VALUES (?, ?, 'credit', '', 't', 's', ?, 'score', '1', '1', NULL, 1, 1, 1, '{}')`);
    joined.run('req-alice-1', 0, pseudonymOf('alice'));
    joined.run('req-bob-1', 0, pseudonymOf('bob'));
    joined.run('req-batch-one', 0, null); // alice's row of the batch
    joined.run('req-batch-one', 1, null); // bob's
    const pending = db.prepare(`INSERT INTO feedback_pending (request_id, row, label, value, feedback_ms, received_ms,
      attempts, next_attempt_ms) VALUES (?, ?, '1', NULL, 1, 1, 0, 9999999999999)`);
    pending.run('req-alice-2', -1);
    pending.run('req-bob-2', -1);
    const res = await c.call('POST', '/api/subjects/erase', { subject: 'alice' });
    expect(res.body.counts.feedback).toEqual({ joined: 2, pending: 1 });
    expect(db.prepare('SELECT request_id, row FROM feedback ORDER BY request_id').all()).toEqual([
      { request_id: 'req-batch-one', row: 1 },
      { request_id: 'req-bob-1', row: 0 },
    ]);
    expect(db.prepare('SELECT request_id FROM feedback_pending').pluck().all()).toEqual(['req-bob-2']);
  });

  it('scrubs alert exemplars and moved bins, and tells the erasure webhook', async () => {
    const hook: CaptureServer = await startCaptureServer();
    cleanup.push(() => hook.close());
    const c = await seeded({ 'erasure-webhook': `${hook.url}/erased` });
    const db = c.parts().subjects.sqlite.db;
    const [aliceTrace] = await c.parts().store.findTraceIdsByRequestId('req-alice-1');
    const cause = {
      exemplarRequestIds: ['req-alice-1', 'req-bob-1'],
      exemplarTraceIds: [aliceTrace, 'f'.repeat(32)],
      movedBins: [
        { kind: 'category', category: 'NAME-alice-3', referenceShare: 0, currentShare: 0.1, delta: 0.1 },
        { kind: 'category', category: 'Paris', referenceShare: 0.1, currentShare: 0.5, delta: 0.4 },
      ],
      summary: 'input.name moved: NAME-alice-3 gained',
    };
    db.prepare(`INSERT INTO alerts (id, rule_id, state, active_ms, body) VALUES ('r@1', 'r', 'firing', 1, ?)`).run(
      JSON.stringify({ id: 'r@1', cause, annotations: {} }),
    );
    const res = await c.call('POST', '/api/subjects/erase', { subject: 'alice', mode: 'anonymise' });
    expect(res.body.counts.alerts).toEqual({ alerts: 1, notifications: 0 });
    const body = JSON.parse(db.prepare('SELECT body FROM alerts').pluck().get() as string);
    expect(body.cause).toMatchObject({
      exemplarRequestIds: ['req-bob-1'],
      exemplarTraceIds: ['f'.repeat(32)],
      movedBins: [{ category: 'Paris' }],
      summary: 'input.name moved: (erased) gained',
    });
    expect(res.body.result.webhook).toBe('delivered (200)');
    const notice = JSON.parse(hook.requests[0]?.body.toString() ?? '{}');
    expect(notice).toMatchObject({ event: 'subject.erased', requestId: res.body.id, mode: 'anonymise' });
    expect(notice.pseudonyms).toContain(pseudonymOf('alice'));
    expect(notice.traceIds).toContain(aliceTrace);
    expect(JSON.stringify(notice)).not.toContain('"alice"');
  });
});

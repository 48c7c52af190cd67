import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteDriftStores } from '../../../collector/drift/sqlite-drift-store.js';
import type { SpanRecord } from '../../../shared/span-record.js';
import { FakeReceiver } from '../support/fake-receiver.js';
import { spanRecord } from '../support/span-record-factory.js';
import { startSubjectCollector, type SubjectCollector } from './subject-collector.js';

/** Restriction and objection inside the collector: forwarding holds and releases; drift skips. */
describe('restriction and objection in the collector', () => {
  let c: SubjectCollector | undefined;
  let zipkin: FakeReceiver | undefined;
  afterEach(async () => {
    await c?.close();
    await zipkin?.down();
  });

  const now = BigInt(Date.now()) * 1_000_000n;
  const captured = (subject: string, requestId: string, age: number): SpanRecord =>
    spanRecord(now, {
      attributes: {
        'ml.request.id': requestId,
        'ml.model.name': 'scorer',
        'ml.capture': 'full',
        'ml.batch.size': 1,
        'ml.input.age': age,
        'enduser.pseudo.id': subject,
      },
    });
  const waitFor = async (what: string, ok: () => boolean): Promise<void> => {
    for (const deadline = Date.now() + 15_000; Date.now() < deadline;) {
      if (ok()) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`timed out waiting for ${what}`);
  };

  it('forwarding holds a restricted subject’s spans, delivers the others, and releases them on lift', async () => {
    zipkin = await new FakeReceiver('/api/v2/spans').up();
    zipkin.answer = () => ({ status: 202 });
    c = await startSubjectCollector({ forward: `zipkin=${zipkin.url}` });
    const [held, free] = ['restricted-raw-1', 'free-raw-2'].map(
      (raw) => c!.parts().subjects.resolve(raw).pseudonyms[0]!,
    );
    expect((await c.call('POST', '/api/subjects/restrict', { subject: 'restricted-raw-1' })).status).toBe(200);

    const mine = captured(held!, 'req-held', 40);
    const theirs = captured(free!, 'req-free', 50);
    await c.parts().store.writeSpans([mine, theirs]);
    const delivered = (): string => zipkin!.received.map((r) => r.body).join('\n');
    await waitFor('the free span to be delivered', () => delivered().includes(theirs.spanId));
    expect(delivered()).not.toContain(mine.spanId);
    expect(c.parts().forwardingHold.heldCount([held!])).toBe(1);

    const lifted = await c.call('POST', '/api/subjects/unrestrict', { subject: 'restricted-raw-1' });
    // A raw id is a pseudonym under each of the keyring's two keys; both were restricted.
    expect(lifted.body.counts).toMatchObject({ lifted: 2, releasedSpans: 1 });
    await waitFor('the held span to be delivered', () => delivered().includes(mine.spanId));
    expect(c.parts().forwardingHold.heldCount([held!])).toBe(0);
    // Delivered once: lifting again releases nothing.
    expect(
      (await c.call('POST', '/api/subjects/unrestrict', { subject: 'restricted-raw-1' })).body.counts,
    ).toMatchObject({ lifted: 0, releasedSpans: 0 });
  });

  it('a batch span with a restricted subject stays held until no subject of it is restricted', async () => {
    zipkin = await new FakeReceiver('/api/v2/spans').up();
    zipkin.answer = () => ({ status: 202 });
    c = await startSubjectCollector({ forward: `zipkin=${zipkin.url}` });
    const [a, b] = ['batch-a', 'batch-b'].map((raw) => c!.parts().subjects.resolve(raw).pseudonyms[0]!);
    await c.call('POST', '/api/subjects/restrict', { subject: 'batch-a' });
    const batch = spanRecord(now, {
      attributes: {
        'ml.request.id': 'req-batch',
        'ml.batch.size': 2,
        'ml.input.age': [1, 2],
        'enduser.pseudo.id': [a!, b!],
      },
    });
    await c.parts().store.writeSpans([batch]);
    await c.call('POST', '/api/subjects/restrict', { subject: 'batch-b' });
    expect((await c.call('POST', '/api/subjects/unrestrict', { subject: 'batch-a' })).body.counts.releasedSpans).toBe(
      0,
    );
    expect(c.parts().forwardingHold.heldCount([b!])).toBe(1); // still held, now under b
    expect((await c.call('POST', '/api/subjects/unrestrict', { subject: 'batch-b' })).body.counts.releasedSpans).toBe(
      1,
    );
    await waitFor('the batch span to be delivered', () => zipkin!.received.some((r) => r.body.includes(batch.spanId)));
  });

  it('drift summaries skip restricted and objecting subjects; every action is in the audit log', async () => {
    c = await startSubjectCollector();
    const [restricted, objecting, free] = ['drift-r', 'drift-o', 'drift-f'].map(
      (raw) => c!.parts().subjects.resolve(raw).pseudonyms[0]!,
    );
    await c.call('POST', '/api/subjects/restrict', { subject: 'drift-r' });
    await c.call('POST', '/api/subjects/object', { subject: 'drift-o' });
    await c
      .parts()
      .store.writeSpans([captured(restricted!, 'r1', 71), captured(objecting!, 'o1', 72), captured(free!, 'f1', 73)]);
    c.parts().subjects.controls!.drift.flush();
    const rows = createSqliteDriftStores(c.parts().subjects.sqlite.db).summaries.read({
      model: 'scorer',
      fromMs: 0,
      toMs: Date.now() + 86_400_000,
    });
    const age = rows.filter((r) => r.feature === 'input.age');
    expect(age.reduce((n, r) => n + r.summary.count, 0)).toBe(1);
    expect(age.map((r) => r.summary.type === 'numeric' && r.summary.mean)).toEqual([73]);

    const all = (raw: string): string[] => [...c!.parts().subjects.resolve(raw).pseudonyms];
    const excluded = c.parts().restrictions.excludedSubjects();
    expect([...excluded].sort()).toEqual([...all('drift-r'), ...all('drift-o')].sort());
    const listed = await c.call('GET', '/api/subjects/restrictions');
    expect(listed.body.restrictions.map((r: { kind: string }) => r.kind).sort()).toEqual([
      'objection',
      'objection',
      'restriction',
      'restriction',
    ]);

    await c.call('POST', '/api/subjects/lift-objection', { subject: 'drift-o' });
    expect(c.parts().restrictions.excludedSubjects().has(objecting!)).toBe(false);
    const log = (await c.call('GET', '/api/subjects/requests')).body.requests as {
      action: string;
      token: string;
      status: string;
    }[];
    expect(log.map((r) => r.action).sort()).toEqual(['lift-objection', 'object', 'restrict']);
    expect(new Set(log.map((r) => `${r.token} ${r.status}`))).toEqual(new Set(['only-privacy done']));
    expect(JSON.stringify(log)).not.toContain('drift-');
  });

  it('restrictions survive a restart', async () => {
    c = await startSubjectCollector();
    const dir = c.dir;
    await c.call('POST', '/api/subjects/restrict', { subject: 'kept-raw' });
    const p = c.parts().subjects.resolve('kept-raw').pseudonyms;
    await c.collector.close();
    c = await startSubjectCollector({}, dir);
    expect(p.every((x) => c!.parts().restrictions.has('restriction', x))).toBe(true);
  });
  it('erasure lifts the restriction and deletes held spans and corrections; an objection stays', async () => {
    zipkin = await new FakeReceiver('/api/v2/spans').up();
    zipkin.answer = () => ({ status: 202 });
    c = await startSubjectCollector({ forward: `zipkin=${zipkin.url}` });
    const subject = c.parts().subjects.resolve('erased-raw').pseudonyms[0]!;
    await c.call('POST', '/api/subjects/restrict', { subject: 'erased-raw' });
    await c.call('POST', '/api/subjects/object', { subject: 'erased-raw' });
    await c.parts().store.writeSpans([captured(subject, 'req-erased', 33)]);
    expect(c.parts().forwardingHold.heldCount([subject])).toBe(1);

    const erased = await c.call('POST', '/api/subjects/erase', { subject: 'erased-raw' });
    expect(erased.status).toBe(200);
    expect(erased.body.counts.restrictionRecords).toMatchObject({ restrictionsLifted: 2, heldSpans: 1 });
    expect(c.parts().forwardingHold.heldCount([subject])).toBe(0);
    expect(c.parts().restrictions.has('restriction', subject)).toBe(false);
    expect(c.parts().restrictions.has('objection', subject)).toBe(true);
    const kinds = c
      .parts()
      .restrictions.list()
      .map((e) => e.kind);
    expect(kinds.every((k) => k === 'objection')).toBe(true);
  });
});

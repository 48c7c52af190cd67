import { afterEach, describe, expect, it } from 'vitest';
import type { Summary } from '../../../collector/drift/summaries/summary-codec.js';
import { createSqliteDriftStores } from '../../../collector/drift/sqlite-drift-store.js';
import type { SpanRecord } from '../../../shared/span-record.js';
import { bearer, ONLY } from '../auth/tokens.js';
import { spanRecord } from '../support/span-record-factory.js';
import { startSubjectCollector, type SubjectCollector } from './subject-collector.js';

/**
 * Rectification (Art. 16): the stored value is corrected, and the drift summaries afterwards equal
 * summaries built from the corrected data alone.
 */
const now = BigInt(Date.now()) * 1_000_000n;

function span(
  requestId: string,
  subject: string | string[],
  age: number | number[],
  city: string | string[],
): SpanRecord {
  const rows = Array.isArray(age) ? age.length : 1;
  return spanRecord(now, {
    attributes: {
      'ml.request.id': requestId,
      'ml.model.name': 'scorer',
      'ml.capture': 'full',
      'ml.batch.size': rows,
      'ml.input.age': age,
      'ml.input.city': city,
      'ml.output.label': rows === 1 ? 'yes' : Array.from({ length: rows }, () => 'yes'),
      'enduser.pseudo.id': subject,
    },
  });
}

/** What a summary says, in terms that do not depend on the order values came and went in. */
function view(s: Summary): unknown {
  if (s.type === 'categorical')
    return { count: s.count, missing: s.missing, other: s.other, counts: Object.fromEntries([...s.counts].sort()) };
  // After a removal the extremes are found again from the histogram bins: equal to 9 digits.
  const digits = (x: number): string => x.toPrecision(9);
  return {
    count: s.count,
    missing: s.missing,
    min: digits(s.min),
    max: digits(s.max),
    mean: digits(s.mean),
    m2: digits(s.m2),
  };
}

function summaries(c: SubjectCollector): Record<string, unknown> {
  c.parts().subjects.controls!.drift.flush();
  const rows = createSqliteDriftStores(c.parts().subjects.sqlite.db).summaries.read({
    model: 'scorer',
    fromMs: 0,
    toMs: Date.now() + 86_400_000,
  });
  return Object.fromEntries(rows.map((r) => [`${r.feature}@${r.bucketMs}`, view(r.summary)]));
}

describe('rectification', () => {
  const open: SubjectCollector[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close()));
  });
  const start = async (): Promise<SubjectCollector> => {
    const c = await startSubjectCollector();
    open.push(c);
    return c;
  };

  it('moves the old value out of the summaries and the new one in, as if the corrected data had been sent', async () => {
    const c = await start();
    const [s, o] = ['rect-subject', 'rect-other'].map((raw) => c.parts().subjects.resolve(raw).pseudonyms[0]!);
    const sent = [
      span('single', s!, 30, 'Leith'),
      span('batch', [o!, s!], [40, 50], ['Govan', 'Dalry']),
      span('theirs', o!, 60, 'Govan'),
    ];
    await c.parts().store.writeSpans(sent);
    summaries(c); // flushed into the store before the corrections

    const fix = (body: Record<string, unknown>) =>
      c.call('POST', '/api/subjects/rectify', { subject: 'rect-subject', ...body });
    const a = await fix({ requestId: 'single', field: 'input.age', value: 35 });
    expect(a.status).toBe(200);
    expect(a.body.counts).toMatchObject({ corrected: 1, summary_removed: 1, summary_added: 1 });
    // The subject's one row of the batch needs no row number.
    expect((await fix({ requestId: 'batch', field: 'input.age', value: 55 })).body.counts.corrected).toBe(1);
    expect((await fix({ requestId: 'single', field: 'input.city', value: 'Portobello' })).status).toBe(200);
    expect((await fix({ requestId: 'batch', field: 'input.city', value: 'Stockbridge', row: 1 })).status).toBe(200);

    const corrected = [
      { ...sent[0]!, attributes: { ...sent[0]!.attributes, 'ml.input.age': 35, 'ml.input.city': 'Portobello' } },
      {
        ...sent[1]!,
        attributes: { ...sent[1]!.attributes, 'ml.input.age': [40, 55], 'ml.input.city': ['Govan', 'Stockbridge'] },
      },
      sent[2]!,
    ];
    const fresh = await start();
    await fresh.parts().store.writeSpans(corrected);
    expect(summaries(c)).toEqual(summaries(fresh));

    // The stored spans hold the corrected values; the other person's row is untouched.
    const stored = await c.parts().store.getTrace(sent[1]!.traceId);
    expect(stored[0]?.attributes['ml.input.age']).toEqual([40, 55]);
    expect(stored[0]?.attributes['ml.input.city']).toEqual(['Govan', 'Stockbridge']);

    // A retried correction changes nothing, in the span or the summaries.
    const again = await fix({ requestId: 'single', field: 'input.age', value: 35 });
    expect(again.body.counts).toMatchObject({ corrected: 0, unchanged: 1 });
    expect(summaries(c)).toEqual(summaries(fresh));

    // The history of corrections: where and when, never a value.
    const exported = await c.call('POST', '/api/subjects/export', { subject: 'rect-subject' });
    expect(exported.body.corrections).toHaveLength(4);
    expect(exported.body.corrections[0]).toMatchObject({
      target: 'input',
      requestId: 'single',
      field: 'input.age',
      row: 0,
    });
    const history =
      JSON.stringify(exported.body.corrections) + JSON.stringify((await c.call('GET', '/api/subjects/requests')).body);
    for (const value of ['Portobello', 'Stockbridge', 'Leith', 'Dalry', ':35', ':55'])
      expect(history).not.toContain(value);
  });

  it.each([
    [
      'another person’s row of a batch',
      { requestId: 'batch', field: 'input.age', value: 1, row: 0 },
      400,
      'invalid_rectification',
    ],
    [
      'a row out of the batch',
      { requestId: 'batch', field: 'input.age', value: 1, row: 7 },
      400,
      'invalid_rectification',
    ],
    [
      'a request that is not theirs',
      { requestId: 'theirs', field: 'input.age', value: 1 },
      404,
      'subject_record_not_found',
    ],
    ['a field not captured', { requestId: 'single', field: 'input.height', value: 1 }, 404, 'subject_record_not_found'],
    [
      'an output (not correctable)',
      { requestId: 'single', field: 'output.label', value: 'no' },
      400,
      'invalid_rectification',
    ],
    [
      'a value that is an object',
      { requestId: 'single', field: 'input.age', value: { a: 1 } },
      400,
      'invalid_rectification',
    ],
    ['a label with no feedback', { requestId: 'single', field: 'label', value: 'no' }, 404, 'subject_record_not_found'],
  ])('refuses %s', async (_what, body, status, code) => {
    const c = await start();
    const [s, o] = ['rect-subject', 'rect-other'].map((raw) => c.parts().subjects.resolve(raw).pseudonyms[0]!);
    await c
      .parts()
      .store.writeSpans([
        span('single', s!, 30, 'Leith'),
        span('batch', [o!, s!], [40, 50], ['Govan', 'Dalry']),
        span('theirs', o!, 60, 'Govan'),
      ]);
    const res = await c.call('POST', '/api/subjects/rectify', { subject: 'rect-subject', ...body });
    expect([res.status, res.body.error.code]).toEqual([status, code]);
    const failed = (await c.call('GET', '/api/subjects/requests')).body.requests[0];
    expect(failed).toMatchObject({ action: 'rectify', status: 'failed', result: { error: code } });
  });

  it('corrects a feedback label of the subject’s request', async () => {
    const c = await start();
    const s = c.parts().subjects.resolve('label-subject').pseudonyms[0]!;
    await c.parts().store.writeSpans([span('labelled', s, 30, 'Leith')]);
    const sent = await fetch(`${c.collector.url}/api/feedback`, {
      method: 'POST',
      headers: { ...bearer(ONLY.feedback), 'content-type': 'application/json' },
      body: JSON.stringify([{ request_id: 'labelled', label: 'yes' }]),
    });
    expect(sent.status).toBeLessThan(300);
    const key = { requestId: 'labelled', row: 0 };
    for (let i = 0; i < 200 && c.parts().feedback.store.get(key) === undefined; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(c.parts().feedback.store.get(key)?.truth).toEqual({ kind: 'label', label: 'yes' });

    const res = await c.call('POST', '/api/subjects/rectify', {
      subject: 'label-subject',
      requestId: 'labelled',
      field: 'label',
      value: 'no',
    });
    expect(res.status).toBe(200);
    expect(c.parts().feedback.store.get(key)?.truth).toEqual({ kind: 'label', label: 'no' });
    const exported = await c.call('POST', '/api/subjects/export', { subject: 'label-subject' });
    expect(exported.body.feedback[0].truth).toEqual({ kind: 'label', label: 'no' });
    expect(exported.body.corrections).toMatchObject([{ target: 'label', requestId: 'labelled', field: 'label' }]);
  });
});

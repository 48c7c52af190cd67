import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSidecarSetup } from '../../sidecar/cli.js';
import { startSidecar, type SidecarHandle } from '../../sidecar/main.js';
import { ALL_BUT, bearer, ONLY } from '../collector/auth/tokens.js';
import { startSubjectCollector, type SubjectCollector } from '../collector/subjects/subject-collector.js';
import { startUpstream, type TestUpstream } from '../sidecar/support/upstream.js';

// The real sidecar in front of a model, exporting to the real collector behind tokens; subjects
// are named per row by a `user_id` column (MLflow records), so a batch holds several people.
// Access, objection and restriction are driven through the HTTP API, as an operator would.
const ALICE = 'alice-raw-id-4417';
const BOB = 'bob-raw-id-9902';
const CAROL = 'carol-raw-id-1234';

interface SentRequest {
  requestId: string;
  rows: { user_id: string; tenure: number; city: string }[];
}

describe('subject rights through the real sidecar and collector', () => {
  let c: SubjectCollector;
  let upstream: TestUpstream;
  let sidecar: SidecarHandle;
  let modelCalls = 0;
  const sent: SentRequest[] = [];
  let counter = 0;

  const send = async (rows: SentRequest['rows']): Promise<Response> => {
    const requestId = `req-${++counter}`;
    sent.push({ requestId, rows });
    return fetch(`${sidecar.url}/invocations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': requestId },
      body: JSON.stringify({ dataframe_records: rows }),
    });
  };
  const row = (user: string, tenure: number, city: string) => ({ user_id: user, tenure, city });

  // Reading the query API needs the read scope; a token that also has privacy sees restricted subjects.
  const READ_AND_PRIVACY = ALL_BUT.ingest;
  const READ_ONLY = ALL_BUT.privacy;

  /** The stored SERVER span of a request, read with read + privacy (sees everything). */
  const serverSpanOf = async (requestId: string): Promise<Record<string, unknown> | undefined> => {
    const res = await c.call('GET', `/api/requests/${requestId}`, undefined, READ_AND_PRIVACY);
    if (res.status !== 200) return undefined;
    const spans = (res.body.traces[0].spans as { kind: string; attributes: Record<string, unknown> }[]).filter(
      (s) => s.kind === 'SERVER',
    );
    return spans[0]?.attributes;
  };
  const stored = async (requestId: string): Promise<Record<string, unknown>> => {
    for (const deadline = Date.now() + 20_000; Date.now() < deadline;) {
      const attrs = await serverSpanOf(requestId);
      if (attrs !== undefined) return attrs;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`the span of ${requestId} was not stored`);
  };
  const pseudonymOf = async (raw: string): Promise<string> => {
    // The collector's keyring is the sidecar's; its primary key made the sidecar's pseudonyms.
    const ref = c.parts().subjects.resolve(raw);
    return ref.pseudonyms[0] as string;
  };

  const headersBefore = process.env['OTEL_EXPORTER_OTLP_HEADERS'];

  beforeAll(async () => {
    // The exporter reads its headers from the process environment, as a Secret would set them.
    process.env['OTEL_EXPORTER_OTLP_HEADERS'] = `authorization=Bearer ${ONLY.ingest}`;
    c = await startSubjectCollector();
    upstream = await startUpstream((_req, res, body) => {
      void body.then((b) => {
        modelCalls += 1;
        const rows = (JSON.parse(b.toString()) as { dataframe_records: unknown[] }).dataframe_records;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ predictions: rows.map((_r, i) => 0.5 + i / 10) }));
      });
    });
    const { config, options } = loadSidecarSetup(
      { upstream: upstream.url, listen: '127.0.0.1:0', 'admin-port': '0', 'objections-interval': '1s' },
      {
        OTEL_EXPORTER_OTLP_ENDPOINT: c.collector.url,
        OTEL_EXPORTER_OTLP_HEADERS: `authorization=Bearer ${ONLY.ingest}`,
        OTEL_BSP_SCHEDULE_DELAY: '20',
        INFERTRACE_HMAC_KEY_FILE: join(c.dir, 'hmac.key'),
        INFERTRACE_SUBJECT_FIELD: 'user_id',
      },
    );
    sidecar = await startSidecar(config, { ...options, log: () => undefined });

    // Alice alone three times, a batch of three people with two of Alice's rows, Bob alone.
    const answers = [
      await send([row(ALICE, 11, 'Leith')]),
      await send([row(ALICE, 12, 'Portobello')]),
      await send([row(ALICE, 13, 'Morningside')]),
      await send([
        row(BOB, 21, 'Govan'),
        row(ALICE, 14, 'Stockbridge'),
        row(CAROL, 31, 'Partick'),
        row(ALICE, 15, 'Dalry'),
      ]),
      await send([row(BOB, 22, 'Hillhead')]),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    for (const s of sent) await stored(s.requestId);
  }, 60_000);

  afterAll(async () => {
    if (headersBefore === undefined) delete process.env['OTEL_EXPORTER_OTLP_HEADERS'];
    else process.env['OTEL_EXPORTER_OTLP_HEADERS'] = headersBefore;
    await sidecar?.close();
    await upstream?.close();
    await c?.close();
  });

  it('an unknown subject has an empty inventory, not an error', async () => {
    const res = await c.call('POST', '/api/subjects/export', { subject: 'nobody-we-know' });
    expect(res.status).toBe(200);
    expect(res.body.spans).toEqual([]);
    expect(res.body.feedback).toEqual([]);
    expect(Object.values(res.body.counts as Record<string, number>).every((n) => n === 0)).toBe(true);
  });

  it('the access export lists every span sent for the subject, only their batch rows, nothing of anyone else', async () => {
    const alice = await pseudonymOf(ALICE);
    const res = await c.call('POST', '/api/subjects/export', { subject: ALICE });
    expect(res.status).toBe(200);
    const servers = (res.body.spans as { kind: string; attributes: Record<string, unknown> }[]).filter(
      (s) => s.kind === 'SERVER',
    );
    const expected = sent.filter((s) => s.rows.some((r) => r.user_id === ALICE));
    expect(servers.map((s) => s.attributes['ml.request.id']).sort()).toEqual(expected.map((s) => s.requestId).sort());
    // Every tenure and city Alice sent is there, in her rows; none of Bob's or Carol's.
    const tenures = servers.flatMap((s) => [s.attributes['ml.input.tenure']].flat());
    const cities = servers.flatMap((s) => [s.attributes['ml.input.city']].flat());
    expect(tenures.sort()).toEqual([11, 12, 13, 14, 15]);
    expect(cities.sort()).toEqual(['Dalry', 'Leith', 'Morningside', 'Portobello', 'Stockbridge']);
    const batch = servers.find((s) => Array.isArray(s.attributes['enduser.pseudo.id']))!;
    expect(batch.attributes['enduser.pseudo.id']).toEqual([alice, alice]);
    expect((res.body.spans as { batchRows?: number[] }[]).find((s) => s.batchRows)?.batchRows).toEqual([1, 3]);
    const text = JSON.stringify(res.body);
    for (const other of ['Govan', 'Partick', 'Hillhead', await pseudonymOf(BOB), await pseudonymOf(CAROL), 'req-5'])
      expect(text).not.toContain(other);
    expect(text).not.toContain(ALICE); // the raw id is never echoed
    // The request is in the audit log with its counts.
    const log = await c.call('GET', '/api/subjects/requests');
    const entry = (log.body.requests as { action: string; counts: Record<string, number> }[]).find(
      (r) => r.action === 'export' && r.counts?.['span'] !== undefined,
    );
    expect(entry?.counts['span']).toBe(res.body.counts.spans);
  });

  it('the portability formats: JSON Lines of every record, CSV of the captured rows', async () => {
    const lines = await fetch(`${c.collector.url}/api/subjects/export`, {
      method: 'POST',
      headers: { ...bearer(ONLY.privacy), 'content-type': 'application/json' },
      body: JSON.stringify({ subject: ALICE, format: 'jsonl' }),
    });
    expect(lines.headers.get('content-type')).toContain('application/x-ndjson');
    const records = (await lines.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string });
    expect(records[0]?.type).toBe('subject');
    expect(records.filter((r) => r.type === 'span').length).toBeGreaterThanOrEqual(4);
    const csv = await fetch(`${c.collector.url}/api/subjects/export`, {
      method: 'POST',
      headers: { ...bearer(ONLY.privacy), 'content-type': 'application/json' },
      body: JSON.stringify({ subject: ALICE, format: 'csv' }),
    });
    const [header, ...rows] = (await csv.text()).trim().split('\r\n');
    expect(header?.split(',')).toEqual(expect.arrayContaining(['request_id', 'row', 'input.tenure', 'input.city']));
    expect(rows).toHaveLength(5); // one line per row of Alice's
    expect(rows.join('\n')).not.toContain('Govan');
  });

  it('restriction hides the subject from read tokens in every read API, not from privacy; lifting shows it again', async () => {
    const bobRequest = 'req-5';
    const attrs = await stored(bobRequest);
    const traceId = (await c.call('GET', `/api/requests/${bobRequest}`, undefined, READ_AND_PRIVACY)).body.traces[0]
      .traceId;
    const reads = [
      `/api/requests/${bobRequest}`,
      `/api/traces/${traceId}`,
      `/jaeger/api/traces/${traceId}`,
      `/api/v2/trace/${traceId}`,
    ];
    const statuses = async (token: string) =>
      Promise.all(reads.map(async (p) => (await c.call('GET', p, undefined, token)).status));
    expect(await statuses(READ_ONLY)).toEqual([200, 200, 200, 200]);
    expect(attrs['enduser.pseudo.id']).toBe(await pseudonymOf(BOB));

    expect((await c.call('POST', '/api/subjects/restrict', { subject: BOB })).status).toBe(200);
    expect(await statuses(READ_ONLY)).toEqual([404, 404, 404, 404]);
    expect(await statuses(READ_AND_PRIVACY)).toEqual([200, 200, 200, 200]);
    // A search with a read token does not list it either.
    const search = await c.call('GET', `/api/traces?service=infertrace-sidecar&limit=100`, undefined, READ_ONLY);
    expect(JSON.stringify(search.body)).not.toContain(traceId);

    expect((await c.call('POST', '/api/subjects/unrestrict', { subject: BOB })).status).toBe(200);
    expect(await statuses(READ_ONLY)).toEqual([200, 200, 200, 200]);
  });

  it('objection stops capture in the real sidecar while the call is still proxied and traced; lifting resumes it', async () => {
    expect((await c.call('POST', '/api/subjects/object', { subject: CAROL })).status).toBe(200);
    // The sidecar pulls the deny-list every second with its ingest token.
    let attrs: Record<string, unknown> | undefined;
    for (const deadline = Date.now() + 20_000; Date.now() < deadline;) {
      const before = modelCalls;
      const res = await send([row(CAROL, 32, 'Anniesland')]);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ predictions: [0.5] });
      expect(modelCalls).toBe(before + 1); // proxied
      attrs = await stored(sent.at(-1)!.requestId); // traced
      if (attrs['ml.capture'] === 'skipped') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(attrs?.['ml.capture.reason']).toBe('objected');
    expect(attrs?.['enduser.pseudo.id']).toBe(await pseudonymOf(CAROL));
    expect(Object.keys(attrs ?? {}).filter((k) => k.startsWith('ml.input.') || k.startsWith('ml.output.'))).toEqual([]);
    // Alice is still captured meanwhile.
    await send([row(ALICE, 16, 'Leith')]);
    expect((await stored(sent.at(-1)!.requestId))['ml.capture']).toBe('full');

    expect((await c.call('POST', '/api/subjects/lift-objection', { subject: CAROL })).status).toBe(200);
    for (const deadline = Date.now() + 20_000; Date.now() < deadline;) {
      await send([row(CAROL, 33, 'Anniesland')]);
      attrs = await stored(sent.at(-1)!.requestId);
      if (attrs['ml.capture'] === 'full') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(attrs?.['ml.input.tenure']).toBe(33);
  });

  it('the deny-list is open to the ingest scope only as far as the objections route', async () => {
    expect((await c.call('GET', '/api/subjects/objections', undefined, ONLY.ingest)).status).toBe(200);
    expect((await c.call('POST', '/api/subjects/object', { subject: CAROL }, ONLY.ingest)).status).toBe(403);
    expect((await c.call('POST', '/api/subjects/export', { subject: CAROL }, ONLY.ingest)).status).toBe(403);
    expect((await c.call('POST', '/api/subjects/export', { subject: CAROL }, ONLY.read)).status).toBe(403);
  });
});

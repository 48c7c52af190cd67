import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SpanRecord } from '../../../shared/span-record.js';
import { bearer, ONLY, tokenLines } from '../auth/tokens.js';
import { startCollectorProcess, stopProcess } from '../support/collector-process.js';
import { startSubjectCollector, type SubjectCollector } from './subject-collector.js';
import { driftSummaries, pseudonymOf, subjectSpan } from './subject-fixtures.js';

/** The faults the issue names: bad subjects, a huge subject, ingest during erasure, a crash mid-erasure. */
let open: SubjectCollector[] = [];
afterEach(async () => {
  await Promise.all(open.map((c) => c.close()));
  open = [];
});
async function collector(flags: Record<string, string> = {}, dir?: string): Promise<SubjectCollector> {
  const c = await startSubjectCollector(flags, dir);
  open.push(c);
  return c;
}

const many = (raw: string, n: number, from = 0): SpanRecord[] =>
  Array.from({ length: n }, (_, i) => subjectSpan(raw, raw, from + i));

/** The drift summaries a fresh collector builds from the spans left in `c`'s database. */
async function rebuiltSummaries(c: SubjectCollector): Promise<Record<string, unknown>> {
  const db = c.parts().subjects.sqlite.db;
  const ids = db.prepare('SELECT DISTINCT lower(hex(trace_id)) FROM spans').pluck().all() as string[];
  const remaining = (await Promise.all(ids.map((t) => c.parts().store.getTrace(t)))).flat();
  const fresh = await collector();
  await fresh.parts().store.writeSpans(remaining);
  await fresh.stop();
  return driftSummaries(fresh.db);
}

/** Per summary, how many values, missing values and (categorical) values in all it holds. */
function counted(summaries: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, s] of Object.entries(summaries) as [string, Record<string, any>][]) {
    const categories = Object.values((s['counts'] ?? {}) as Record<string, number>).reduce((a, b) => a + b, 0);
    out[key] = { count: s['count'] ?? categories + (s['other'] ?? 0), missing: s['missing'], mean: s['mean'] };
  }
  return out;
}

describe('erasure faults', () => {
  it.each([
    ['a malformed pseudonym', { subject: `hmac:k2:${'a'.repeat(10)}` }, 400, 'invalid_subject'],
    ['a key id that is not configured', { subject: `hmac:k7:${'a'.repeat(64)}` }, 400, 'unknown_key_id'],
    ['no subject', { mode: 'delete' }, 400, 'invalid_subject'],
    ['an unknown mode', { subject: 'alice', mode: 'shred' }, 400, 'invalid_parameter'],
  ])('refuses %s', async (_name, body, status, code) => {
    const c = await collector();
    const res = await c.call('POST', '/api/subjects/erase', body);
    expect([res.status, res.body.error.code]).toEqual([status, code]);
    expect(JSON.stringify(res.body)).not.toContain('alice');
    expect(c.parts().subjects.requests.list()).toEqual([]);
  });

  it('answers an unknown subject with an empty erasure, recorded in the audit log', async () => {
    const c = await collector();
    await c.parts().store.writeSpans(many('bob', 3));
    const res = await c.call('POST', '/api/subjects/erase', { subject: 'nobody-we-know' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'done', token: 'only-privacy' });
    expect(res.body.counts.spans).toMatchObject({ deleted: 0, rewritten: 0 });
    expect(await c.parts().store.findTraceIdsBySubject(pseudonymOf('bob'))).toHaveLength(3);
  });

  it(
    'erases a subject with 100,000 spans, every one (the key index, never the capped search)',
    { timeout: 600_000 },
    async () => {
      const c = await collector();
      for (let i = 0; i < 100_000; i += 5000) await c.parts().store.writeSpans(many('alice', 5000, i));
      await c.parts().store.writeSpans(many('bob', 10));
      const res = await c.call('POST', '/api/subjects/erase', { subject: 'alice' });
      expect(res.body.counts.spans.deleted).toBe(100_000);
      expect(await c.parts().store.findTraceIdsBySubject(pseudonymOf('alice'))).toEqual([]);
      expect(c.parts().subjects.sqlite.db.prepare('SELECT count(*) FROM spans').pluck().get()).toBe(10);
    },
  );

  it(
    'keeps every count right when ingest of the same subject continues during the erasure',
    { timeout: 120_000 },
    async () => {
      const c = await collector();
      await c.parts().store.writeSpans(many('alice', 600));
      await c.parts().store.writeSpans(many('bob', 20));
      let written = 600;
      const ingest = (async () => {
        for (let i = 0; i < 30; i++) {
          await c.parts().store.writeSpans(many('alice', 20, 1000 + i * 20));
          written += 20;
          await new Promise((r) => setImmediate(r));
        }
      })();
      const erase = c.call('POST', '/api/subjects/erase', { subject: 'alice' });
      const [res] = await Promise.all([erase, ingest]);
      const left = await c.parts().store.findTraceIdsBySubject(pseudonymOf('alice'));
      expect(res.body.counts.spans.deleted + left.length).toBe(written);
      expect(res.body.counts.spans.deleted).toBeGreaterThanOrEqual(600);
      const summaries = await (async () => {
        await open[0]?.stop();
        return driftSummaries(c.db);
      })();
      const reopened = await collector({}, c.dir);
      // Counts, not the sketches' order-dependent parts (see the SIGKILL test).
      expect(counted(summaries)).toEqual(counted(await rebuiltSummaries(reopened)));
    },
  );

  it(
    'finishes an erasure a SIGKILL interrupted when the collector starts again, removing nothing twice',
    { timeout: 300_000 },
    async () => {
      const seed = await collector();
      for (let i = 0; i < 20_000; i += 5000) await seed.parts().store.writeSpans(many('alice', 5000, i));
      await seed.parts().store.writeSpans(many('bob', 50));
      await seed.stop();
      const { dir, db } = seed;

      const child = await startCollectorProcess(
        ['--db', db, '--retention', '0', '--hmac-key-file', join(dir, 'hmac.key')],
        {
          env: { INFERTRACE_TOKENS: tokenLines() },
        },
      );
      const started = await fetch(`${child.url}/api/subjects/erase`, {
        method: 'POST',
        headers: { ...bearer(ONLY.privacy), 'content-type': 'application/json' },
        body: JSON.stringify({ subject: 'alice', wait: false }),
      });
      expect(started.status).toBe(202);
      const { id } = (await started.json()) as { id: string };
      const watch = new Database(db, { readonly: true });
      const done = (): number => watch.prepare('SELECT count(*) FROM subject_erasures').pluck().get() as number;
      while (done() === 0) await new Promise((r) => setTimeout(r, 2));
      await stopProcess(child, 'SIGKILL');
      const atKill = done();
      const status = watch.prepare('SELECT status FROM subject_requests WHERE id = ?').pluck().get(id);
      watch.close();
      expect(status).toBe('running');
      expect(atKill).toBeGreaterThan(0);
      expect(atKill).toBeLessThan(20_000);

      const again = await collector({}, dir);
      let request = again.parts().subjects.requests.get(id);
      while (request?.status === 'running') {
        await new Promise((r) => setTimeout(r, 50));
        request = again.parts().subjects.requests.get(id);
      }
      expect(request?.status).toBe('done');
      const db2 = again.parts().subjects.sqlite.db;
      expect(db2.prepare('SELECT count(*) FROM subject_erasures WHERE request_id = ?').pluck().get(id)).toBe(20_000);
      expect(await again.parts().store.findTraceIdsBySubject(pseudonymOf('alice'))).toEqual([]);
      await again.stop();
      // Counts prove nothing was taken out twice. (Bounds — min, max, the linear exponent — and the
      // category cap's "other" depend on the order values arrived in, so they are left out here.)
      const after = counted(driftSummaries(db));
      const reopened = await collector({}, dir);
      expect(after).toEqual(counted(await rebuiltSummaries(reopened)));
    },
  );
});

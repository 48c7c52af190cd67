import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ONLY } from '../auth/tokens.js';
import { startSubjectCollector, type SubjectCollector } from './subject-collector.js';

/** The subject-rights API: privacy scope only; the audit log and request status. */
describe('/api/subjects', () => {
  let c: SubjectCollector;
  beforeAll(async () => {
    c = await startSubjectCollector();
  });
  afterAll(async () => c?.close());

  it.each([
    ['read', 403],
    ['admin', 403],
    ['privacy', 200],
  ] as const)('answers a %s token with %i', async (scope, status) => {
    expect((await c.call('GET', '/api/subjects/requests', undefined, ONLY[scope])).status).toBe(status);
  });

  it('answers an unknown request id with subject_request_not_found', async () => {
    const res = await c.call('GET', '/api/subjects/requests/sr_nope');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('subject_request_not_found');
  });

  it('records a request with the token name, and its outcome, holding no pseudonym once finished', async () => {
    const requests = c.parts().subjects.requests;
    const pseudonym = `hmac:k2:${'d'.repeat(64)}`;
    const id = requests.start('erase', [pseudonym], 'only-privacy', { mode: 'delete' });
    expect(requests.running().map((r) => r.pseudonyms)).toEqual([[pseudonym]]);
    requests.finish(id, { spans: 0 }, { destinations: [] });
    const res = await c.call('GET', `/api/subjects/requests/${id}`);
    expect(res.body).toMatchObject({
      id,
      action: 'erase',
      params: { mode: 'delete' },
      token: 'only-privacy',
      status: 'done',
      counts: { spans: 0 },
    });
    expect(requests.running()).toEqual([]);
    const row = JSON.stringify(c.parts().subjects.sqlite.db.prepare('SELECT * FROM subject_requests').all());
    expect(row).not.toContain('d'.repeat(64));
    expect((await c.call('GET', '/api/subjects/requests')).body.requests.map((r: { id: string }) => r.id)).toContain(
      id,
    );
  });
});

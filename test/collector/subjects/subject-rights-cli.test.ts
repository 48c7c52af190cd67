import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../../collector/cli/subject.js';
import { ONLY } from '../auth/tokens.js';
import { runCli } from '../support/cli-io.js';
import { spanRecord } from '../support/span-record-factory.js';
import { startSubjectCollector, type SubjectCollector } from './subject-collector.js';

/** `infertrace subject export|restrict|unrestrict|object|lift-objection|rectify` against a running collector. */
describe('infertrace subject: the rights beyond erasure', () => {
  let c: SubjectCollector;
  const cli = (argv: string[]) =>
    runCli(run, [...argv, '--collector', c.collector.url], { INFERTRACE_TOKEN: ONLY.privacy });

  beforeAll(async () => {
    c = await startSubjectCollector();
    const p = c.parts().subjects.resolve('cli-subject').pseudonyms[0]!;
    await c.parts().store.writeSpans([
      spanRecord(BigInt(Date.now()) * 1_000_000n, {
        attributes: { 'ml.request.id': 'cli-req', 'ml.input.age': 30, 'ml.capture': 'full', 'enduser.pseudo.id': p },
      }),
    ]);
  });
  afterAll(async () => c?.close());

  it('restrict, unrestrict, object and lift-objection print the audited answer', async () => {
    for (const verb of ['restrict', 'unrestrict', 'object', 'lift-objection']) {
      const res = await cli([verb, 'cli-subject']);
      expect(res.code).toBe(0);
      expect(JSON.parse(res.stdout).request).toMatch(/^sr_/);
      expect(res.stdout + res.stderr).not.toContain('cli-subject');
    }
    expect(c.parts().restrictions.list()).toEqual([]);
  });

  it('rectify reads the value as JSON when it is JSON', async () => {
    const res = await cli(['rectify', 'cli-subject', '--request', 'cli-req', '--field', 'input.age', '--value', '31']);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout).counts.corrected).toBe(1);
    expect((await cli(['rectify', 'cli-subject', '--field', 'input.age', '--value', '31'])).code).toBe(64);
    const wrong = await cli(['rectify', 'cli-subject', '--request', 'nope', '--field', 'input.age', '--value', '1']);
    expect(wrong.code).toBe(76);
  });

  it('export prints the document, or writes a bundle of JSON Lines and CSV readable by the owner only', async () => {
    const doc = await cli(['export', 'cli-subject']);
    expect(doc.code).toBe(0);
    expect(JSON.parse(doc.stdout).spans).toHaveLength(1);
    const bundle = join(c.dir, 'bundle');
    expect((await cli(['export', 'cli-subject', '--bundle', bundle])).code).toBe(0);
    const lines = readFileSync(join(bundle, 'inventory.jsonl'), 'utf8').trim().split('\n');
    expect(JSON.parse(lines[1]!).type).toBe('span');
    expect(readFileSync(join(bundle, 'captured.csv'), 'utf8').split('\r\n')[1]).toContain(',31');
    expect(statSync(join(bundle, 'captured.csv')).mode & 0o777).toBe(0o600);
    expect(statSync(bundle).mode & 0o777).toBe(0o700);
    expect((await cli(['export', 'cli-subject', '--format', 'xml'])).code).toBe(64);
  });
});

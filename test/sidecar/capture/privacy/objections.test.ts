import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigReader } from '../../../../shared/config.js';
import { loadSidecarSetup } from '../../../../sidecar/cli.js';
import { readPseudonymiser } from '../../../../shared/pseudonyms/hmac-key.js';
import { SUBJECT_PURPOSE } from '../../../../shared/pseudonyms/hmac.js';
import { Objections, objectedCapture, readObjectionsFile } from '../../../../sidecar/capture/privacy/objections.js';
import { startSidecar, type SidecarHandle } from '../../../../sidecar/main.js';
import { startOtlpReceiver, type OtlpReceiver } from '../../support/otlp-receiver.js';
import { startUpstream, type TestUpstream } from '../../support/upstream.js';

const A = `hmac:k1:${'a'.repeat(64)}`;
const B = `hmac:k1:${'b'.repeat(64)}`;

describe('objectedCapture: the capture decision for an objecting subject', () => {
  const list = new Objections();
  list.setFile([A]);
  const captured = {
    'ml.protocol': 'json',
    'ml.model.name': 'm',
    'ml.request.id': 'r1',
    'ml.batch.size': 2,
    'ml.input.age': [41, 42],
  };
  it.each([
    ['no deny-list', undefined, { ...captured, 'enduser.pseudo.id': A }, undefined],
    ['a subject not listed', list, { ...captured, 'enduser.pseudo.id': B }, undefined],
    ['no subject', list, captured, undefined],
    [
      'a listed subject',
      list,
      { ...captured, 'enduser.pseudo.id': A },
      {
        'ml.protocol': 'json',
        'ml.model.name': 'm',
        'enduser.pseudo.id': A,
        'ml.capture': 'skipped',
        'ml.capture.reason': 'objected',
      },
    ],
    [
      'a batch with one listed subject among others',
      list,
      { ...captured, 'enduser.pseudo.id': [B, A] },
      {
        'ml.protocol': 'json',
        'ml.model.name': 'm',
        'enduser.pseudo.id': [B, A],
        'ml.capture': 'skipped',
        'ml.capture.reason': 'objected',
      },
    ],
  ])('%s', (_what, deny, attrs, expected) => {
    expect(objectedCapture(deny, attrs)).toEqual(expected);
  });

  it('the list is the union of the file and the collector, each replaced whole', () => {
    const l = new Objections();
    l.setFile([A]);
    l.setCollector([B]);
    expect([l.has(A), l.has(B), l.size]).toEqual([true, true, 2]);
    l.setCollector([]);
    expect([l.has(A), l.has(B), l.size]).toEqual([true, false, 1]);
  });
});

describe('readObjectionsFile', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads one pseudonym a line, skips blanks and comments, and names a bad line by number only', () => {
    dir = mkdtempSync(join(tmpdir(), 'objections-'));
    const file = join(dir, 'deny.txt');
    writeFileSync(file, `# objections\n${A}\n\n  ${B}  \n`);
    expect(readObjectionsFile(file)).toEqual([A, B]);
    writeFileSync(file, `${A}\nraw-subject-id-42\n`);
    expect(() => readObjectionsFile(file)).toThrow(/^line 2 is not a pseudonym/);
    try {
      readObjectionsFile(file);
    } catch (err) {
      expect((err as Error).message).not.toContain('raw-subject-id-42');
    }
  });

  it('a bad deny-list file stops the sidecar at start with the setting named', () => {
    dir = mkdtempSync(join(tmpdir(), 'objections-'));
    const file = join(dir, 'deny.txt');
    writeFileSync(file, 'not-a-pseudonym\n');
    expect(() =>
      loadSidecarSetup(
        { upstream: 'http://127.0.0.1:9', 'objections-file': file },
        { INFERTRACE_HMAC_KEY: '5f'.repeat(32), INFERTRACE_SUBJECT_HEADER: 'x-subject-id' },
      ),
    ).toThrow(/--objections-file \/ INFERTRACE_OBJECTIONS_FILE: .*line 1 is not a pseudonym/);
  });
});

describe('the real sidecar with a deny-list file', () => {
  let dir: string;
  let upstream: TestUpstream;
  let receiver: OtlpReceiver;
  let sidecar: SidecarHandle;
  const bodiesSeen: string[] = [];

  afterEach(async () => {
    await sidecar?.close();
    await upstream?.close();
    await receiver?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('proxies and traces an objecting subject’s request but captures nothing of it; others are captured', async () => {
    dir = mkdtempSync(join(tmpdir(), 'objections-'));
    const env = {
      INFERTRACE_HMAC_KEY: '5f'.repeat(32),
      INFERTRACE_SUBJECT_HEADER: 'x-subject-id',
      OTEL_BSP_SCHEDULE_DELAY: '20',
    };
    const pseudo = readPseudonymiser(new ConfigReader({}, env))!;
    const objecting = pseudo.pseudonymise('subject-objecting', SUBJECT_PURPOSE);
    const file = join(dir, 'deny.txt');
    writeFileSync(file, `${objecting}\n`);
    upstream = await startUpstream((_req, res, body) => {
      void body.then((b) => {
        bodiesSeen.push(b.toString());
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ score: 0.9 }));
      });
    });
    receiver = await startOtlpReceiver();
    const { config, options } = loadSidecarSetup(
      { upstream: upstream.url, listen: '127.0.0.1:0', 'admin-port': '0', 'objections-file': file },
      { ...env, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.endpoint },
    );
    sidecar = await startSidecar(config, { ...options, log: () => undefined });

    const send = (subject: string, requestId: string): Promise<Response> =>
      fetch(`${sidecar.url}/predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-subject-id': subject, 'x-request-id': requestId },
        body: JSON.stringify({ age: 42, city: 'Leith' }),
      });
    const objected = await send('subject-objecting', 'req-objected');
    const other = await send('subject-other', 'req-other');
    expect([objected.status, other.status]).toEqual([200, 200]);
    expect(await objected.json()).toEqual({ score: 0.9 });
    expect(bodiesSeen).toHaveLength(2); // both proxied, body intact

    const spans = await receiver.waitFor((s) => s.filter((x) => x.kind === 2).length >= 2);
    const servers = spans.filter((s) => s.kind === 2);
    const of = (subject: string) =>
      servers.find((s) => s.attributes['enduser.pseudo.id'] === pseudo.pseudonymise(subject, SUBJECT_PURPOSE))!;
    const mine = of('subject-objecting');
    expect(mine.attributes['ml.capture']).toBe('skipped');
    expect(mine.attributes['ml.capture.reason']).toBe('objected');
    expect(Object.keys(mine.attributes).filter((k) => k.startsWith('ml.input.') || k.startsWith('ml.output.'))).toEqual(
      [],
    );
    expect(mine.attributes['http.response.status_code']).toBe(200); // traced as any other call
    const theirs = of('subject-other');
    expect(theirs.attributes['ml.capture']).toBe('full');
    expect(theirs.attributes['ml.input.age']).toBe(42);
  });
});

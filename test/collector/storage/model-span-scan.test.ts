import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelSpanQuery } from '../../../collector/storage/span-store.js';
import { openSqliteStore, type SqliteStore } from '../../../collector/storage/sqlite/sqlite-store.js';
import { capturedSpan } from '../drift/drift-spans.js';

/** SpanReader.scanModelSpans on SQLite: the SERVER spans of a model in a window, by its indexes. */
const T0 = Date.parse('2026-01-10T10:00:00Z');
const NS = 1_000_000n;
const spans = [
  capturedSpan({ model: 'm', version: '1', startMs: T0, requestId: 'a', inputs: { x: 1 } }),
  capturedSpan({ model: 'm', version: '1', startMs: T0 + 1_500, requestId: 'b', inputs: { x: 2 } }),
  capturedSpan({ model: 'm', version: '2', startMs: T0 + 2_000, requestId: 'c', inputs: { x: 3 } }),
  capturedSpan({ model: 'm', version: '1', startMs: T0 + 3_000, requestId: 'd', inputs: { x: 4 } }), // at the window's end: out
  capturedSpan({ model: 'm', version: '1', startMs: T0 + 500, requestId: 'client', kind: 'CLIENT' }),
  capturedSpan({ model: 'other', startMs: T0 + 100, requestId: 'e' }),
  capturedSpan({ serviceName: 'm', startMs: T0 + 200, requestId: 'f', inputs: { x: 6 } }), // no model name: the service's
  capturedSpan({ model: 'm', version: '1', startMs: T0 - 1, requestId: 'g' }), // before the window
];

let dir: string;
let sqlite: SqliteStore;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'infertrace-drift-scan-'));
  sqlite = openSqliteStore({ path: join(dir, 'spans.db') });
  await sqlite.writeSpans(spans);
});
afterAll(async () => {
  await sqlite.close();
  rmSync(dir, { recursive: true, force: true });
});

const window = (over: Partial<ModelSpanQuery> = {}): ModelSpanQuery => ({
  model: 'm',
  startNano: BigInt(T0) * NS,
  endNano: BigInt(T0 + 3_000) * NS,
  ...over,
});

async function ids(q: ModelSpanQuery, limit = 100) {
  const seen: string[] = [];
  const result = await sqlite.scanModelSpans(q, limit, (s) => {
    seen.push(String(s.attributes['ml.request.id']));
  });
  return { seen: seen.sort(), result };
}

describe('model span scans', () => {
  it.each([
    ['every version', window(), ['a', 'b', 'c', 'f']],
    ['one version', window({ version: '1' }), ['a', 'b']],
    ['spans without a model name, by service, as version ""', window({ version: '' }), ['f']],
    ['an unknown model', window({ model: 'nope' }), []],
    ['a narrow window', window({ startNano: BigInt(T0 + 1_000) * NS, endNano: BigInt(T0 + 2_000) * NS }), ['b']],
  ])('%s', async (_label, q, expected) => {
    const { seen, result } = await ids(q);
    expect({ seen, result }).toEqual({ seen: expected, result: { visited: expected.length, complete: true } });
  });

  it('stops at the limit, and when visit says so, reporting an incomplete scan', async () => {
    const limited = await ids(window(), 2);
    expect({ n: limited.seen.length, result: limited.result }).toEqual({
      n: 2,
      result: { visited: 2, complete: false },
    });
    let visits = 0;
    const stopped = await sqlite.scanModelSpans(window(), 100, () => {
      visits += 1;
      return false;
    });
    expect({ visits, complete: stopped.complete }).toEqual({ visits: 1, complete: false });
  });

  it('gives the trace id, start, service and resource of each span', async () => {
    const got: unknown[] = [];
    await sqlite.scanModelSpans(window({ version: '2' }), 10, (s) => {
      got.push({
        traceId: s.traceId,
        start: s.startNano,
        service: s.serviceName,
        region: s.resource['deployment.region'],
      });
    });
    expect(got).toEqual([
      { traceId: spans[2]!.traceId, start: BigInt(T0 + 2_000) * NS, service: 'sidecar', region: 'eu' },
    ]);
  });
});

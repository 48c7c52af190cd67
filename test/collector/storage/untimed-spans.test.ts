import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SpanStore } from '../../../collector/storage/span-store.js';
import { openSqliteStore } from '../../../collector/storage/sqlite/sqlite-store.js';
import type { SpanRecord } from '../../../shared/span-record.js';
import { makeSpan } from '../support/span-builder.js';
import { makeTempDir } from './temp-dir.js';

/**
 * An untimed span (a Zipkin late half: start 0) is a span of its own for the duplicate check: kept
 * beside the timed span of the same id and kind, while a repeat of it is still a retry — also once
 * the key index has written its runs and after a restart.
 */
const timed = makeSpan({ spanId: '00000000000000a1', kind: 'SERVER' });
const late = makeSpan({
  spanId: '00000000000000a1',
  kind: 'SERVER',
  startTimeUnixNano: 0n,
  endTimeUnixNano: 0n,
  attributes: { late: true },
});
const filler = (i: number): SpanRecord =>
  makeSpan({
    traceId: `${'f'.repeat(24)}${String(i).padStart(8, '0')}`,
    spanId: `${'e'.repeat(8)}${String(i).padStart(8, '0')}`,
  });
const untimedFlags = async (store: SpanStore) =>
  (await store.getTrace(timed.traceId)).map((s) => s.startTimeUnixNano === 0n);

const temps: { remove(): void }[] = [];
afterEach(() => temps.splice(0).forEach((t) => t.remove()));

describe('untimed spans in the stores', () => {
  it('SQLite store: the same, through the key index runs and after a restart', async () => {
    const tmp = makeTempDir();
    temps.push(tmp);
    const path = join(tmp.dir, 'spans.db');
    const first = openSqliteStore({ path, keyIndex: { runSpans: 4 } });
    await first.writeSpans([timed]);
    await first.writeSpans(Array.from({ length: 10 }, (_, i) => filler(i))); // the pair's keys go to a run
    await first.writeSpans([late]);
    await first.writeSpans([late, timed]);
    expect((await untimedFlags(first)).sort()).toEqual([false, true]);
    await first.close();

    const second = openSqliteStore({ path, keyIndex: { runSpans: 4 } });
    await second.writeSpans([late, timed]);
    expect((await untimedFlags(second)).sort()).toEqual([false, true]);
    await second.close();
  });
});

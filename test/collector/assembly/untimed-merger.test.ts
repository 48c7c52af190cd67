import { describe, expect, it } from 'vitest';
import { untimedMerger } from '../../../collector/assembly/untimed-merger.js';
import { toWorkingTrace } from '../../../collector/assembly/working-trace.js';
import type { SpanRecord } from '../../../shared/span-record.js';
import { UNKNOWN_SERVICE } from '../../../shared/span-record.js';
import { makeSpan } from '../support/span-builder.js';

const T = 1_800_000_000_000_000_000n;
const timed = (id: string, over: Partial<SpanRecord> = {}): SpanRecord =>
  makeSpan({ spanId: id.padStart(16, '0'), startTimeUnixNano: T + 100n, endTimeUnixNano: T + 200n, ...over });
const untimed = (id: string, over: Partial<SpanRecord> = {}): SpanRecord =>
  makeSpan({ spanId: id.padStart(16, '0'), name: '', startTimeUnixNano: 0n, endTimeUnixNano: 0n, ...over });
const run = (spans: SpanRecord[]) => untimedMerger.adjust(toWorkingTrace('a'.repeat(32), spans));

describe('untimed merger: which timed span an untimed one folds into', () => {
  it.each([
    ['same id, kind and service', [timed('1')], untimed('1', { attributes: { late: 'yes' } }), 1],
    [
      'no kind sent (INTERNAL) and no local endpoint',
      [timed('1')],
      untimed('1', { kind: 'INTERNAL', serviceName: UNKNOWN_SERVICE, attributes: { late: 'yes' } }),
      1,
    ],
    [
      'the side of its kind in a shared pair',
      [timed('1', { kind: 'CLIENT', serviceName: 'a' }), timed('1', { kind: 'SERVER', serviceName: 'b' })],
      untimed('1', { kind: 'SERVER', serviceName: 'b', attributes: { late: 'yes' } }),
      2,
    ],
    [
      'no partner: another kind',
      [timed('1', { kind: 'CLIENT' })],
      untimed('1', { kind: 'SERVER', attributes: { late: 'yes' } }),
      2,
    ],
    [
      'no partner: another service',
      [timed('1', { serviceName: 'a' })],
      untimed('1', { serviceName: 'b', attributes: { late: 'yes' } }),
      2,
    ],
    ['no partner: another id', [timed('1')], untimed('2', { attributes: { late: 'yes' } }), 2],
  ])('%s', (_label, spans, late, count) => {
    const out = run([...spans, late]);
    expect(out.spans).toHaveLength(count);
    const merged = count === spans.length;
    const target = out.spans.find((s) => s.spanId === late.spanId && s.attributes['late'] === 'yes')!;
    expect(target.startTimeUnixNano).toBe(T + 100n); // timed either way: folded, or placed at the trace's start
    expect(out.warnings.length).toBe(merged ? 0 : 1);
  });
});

describe('untimed merger: what folding keeps', () => {
  it("keeps the timed half's timing, name and parent, adds tags (late wins), annotations, an ERROR status", () => {
    const out = run([
      timed('1', {
        parentSpanId: '00000000000000ff',
        attributes: { a: 1, b: 'old' },
        events: [{ timeUnixNano: T + 110n, name: 'x', attributes: {} }],
      }),
      untimed('1', {
        name: 'late name',
        attributes: { b: 'new', c: true },
        events: [{ timeUnixNano: T + 150n, name: 'y', attributes: {} }],
        status: { code: 'ERROR', message: 'boom' },
      }),
    ]);
    expect(out.spans).toHaveLength(1);
    expect(out.spans[0]).toMatchObject({
      name: 'POST /v2/models/iris/infer',
      parentSpanId: '00000000000000ff',
      startTimeUnixNano: T + 100n,
      endTimeUnixNano: T + 200n,
      attributes: { a: 1, b: 'new', c: true },
      status: { code: 'ERROR', message: 'boom' },
    });
    expect(out.spans[0]!.events.map((e) => e.name)).toEqual(['x', 'y']);
  });

  it('folds several late halves into one span', () => {
    const out = run([timed('1'), untimed('1', { attributes: { a: 1 } }), untimed('1', { attributes: { b: 2 } })]);
    expect(out.spans).toHaveLength(1);
    expect(out.spans[0]!.attributes).toEqual({ a: 1, b: 2 });
  });

  it('leaves a trace without untimed spans as it is (the same object)', () => {
    const trace = toWorkingTrace('a'.repeat(32), [timed('1')]);
    expect(untimedMerger.adjust(trace)).toBe(trace);
  });
});

describe('untimed merger: a lone untimed span', () => {
  it.each([
    [
      'at its first annotation',
      untimed('2', {
        parentSpanId: '0000000000000001',
        events: [{ timeUnixNano: T + 170n, name: 'e', attributes: {} }],
      }),
      T + 170n,
    ],
    ["at its parent's start", untimed('2', { parentSpanId: '0000000000000001' }), T + 100n],
    ["at the trace's start", untimed('2', { parentSpanId: '0000000000000009' }), T + 50n],
  ])('is shown %s, keeping its duration, with a warning', (where, late, at) => {
    const out = run([
      timed('1'),
      timed('3', { startTimeUnixNano: T + 50n, endTimeUnixNano: T + 60n }),
      { ...late, endTimeUnixNano: 7n },
    ]);
    const shown = out.spans.find((s) => s.spanId === late.spanId)!;
    expect(shown.startTimeUnixNano).toBe(at);
    expect(shown.endTimeUnixNano).toBe(at + 7n);
    expect(out.warnings).toEqual([
      `span 0000000000000002 (iris-sidecar ""): sent without a timestamp, and no timed span of the same id arrived; shown ${where}`,
    ]);
  });

  it('alone in its trace stays untimed, with a warning', () => {
    const out = run([untimed('2')]);
    expect(out.spans[0]!.startTimeUnixNano).toBe(0n);
    expect(out.warnings[0]).toMatch(/shown without a time$/);
  });
});

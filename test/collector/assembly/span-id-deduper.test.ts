import { describe, expect, it } from 'vitest';
import { deriveSpanId, spanIdDeduper } from '../../../collector/assembly/span-id-deduper.js';
import { toWorkingTrace } from '../../../collector/assembly/working-trace.js';
import type { SpanRecord } from '../../../shared/span-record.js';
import { span } from './zipkin-spans.js';

const run = (spans: SpanRecord[]) => spanIdDeduper.adjust(toWorkingTrace('a'.repeat(32), spans));
const pid = (id: string) => id.padStart(16, '0');

describe('span-id deduper', () => {
  it('gives the SERVER side of a shared id a derived id under its CLIENT, and moves its children', () => {
    const out = run([
      span('1', '', 0, 100, { serviceName: 'a' }),
      span('2', '1', 10, 80, { serviceName: 'a', kind: 'CLIENT' }),
      span('2', '1', 20, 60, { serviceName: 'b', kind: 'SERVER' }),
      span('3', '2', 30, 10, { serviceName: 'b' }), // server-side child
      span('4', '2', 12, 2, { serviceName: 'a' }), // client-side child (e.g. a connect span)
    ]);
    const [, client, server, serverChild, clientChild] = out.spans;
    expect(client!.spanId).toBe(pid('2'));
    expect(server!.originalSpanId).toBe(pid('2'));
    expect(server!.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(server!.spanId).not.toBe(pid('2'));
    expect(server!.parentSpanId).toBe(pid('2'));
    expect(serverChild!.parentSpanId).toBe(server!.spanId);
    expect(clientChild!.parentSpanId).toBe(pid('2'));
    expect(out.warnings).toEqual([]);
  });

  it('derives the same id every time (stable links)', () => {
    const input = [span('2', '', 10, 80, { kind: 'CLIENT' }), span('2', '', 20, 60, { kind: 'SERVER' })];
    expect(run(input).spans[1]!.spanId).toBe(run(input).spans[1]!.spanId);
  });

  it.each([
    ['SERVER and INTERNAL', 'SERVER', 'INTERNAL'],
    ['CLIENT and PRODUCER', 'CLIENT', 'PRODUCER'],
  ] as const)('renames the later of %s sharing an id, with a warning', (_n, first, second) => {
    const out = run([span('5', '', 0, 10, { kind: first }), span('5', '', 5, 10, { kind: second })]);
    expect(out.spans[0]!.spanId).toBe(pid('5'));
    expect(out.spans[1]!.spanId).not.toBe(pid('5'));
    expect(out.spans[1]!.originalSpanId).toBe(pid('5'));
    expect(out.warnings).toHaveLength(1);
    expect(out.warnings[0]).toContain(`span ${out.spans[1]!.spanId} (svc "op-5"): another ${first} span`);
  });

  it('returns a trace without duplicates as it is', () => {
    const input = toWorkingTrace('a'.repeat(32), [span('1', '', 0, 1), span('2', '1', 0, 1)]);
    expect(spanIdDeduper.adjust(input)).toBe(input);
  });

  it('never derives an id already in the trace', () => {
    const first = deriveSpanId('t', 's', new Set());
    const second = deriveSpanId('t', 's', new Set([first]));
    expect(second).not.toBe(first);
    expect(second).toMatch(/^[0-9a-f]{16}$/);
  });
});

import { describe, expect, it } from 'vitest';
import { clockSkewAdjuster, skewAgainst } from '../../../collector/assembly/clock-skew.js';
import { toWorkingTrace } from '../../../collector/assembly/working-trace.js';
import type { SpanRecord } from '../../../shared/span-record.js';
import { span } from './zipkin-spans.js';

const US = 1000n;
const adjust = (spans: SpanRecord[], maxUs = 1_000_000) =>
  clockSkewAdjuster({ maxDeltaNano: BigInt(maxUs) * US }).adjust(toWorkingTrace('a'.repeat(32), spans));

// Parent: host A, starts at 1000 µs and lasts 100 µs.
const parent = (extra: Partial<SpanRecord> = {}) => span('1', '', 1000, 100, { host: 'A', kind: 'CLIENT', ...extra });

describe('clock-skew adjuster', () => {
  it.each([
    // name, child [start µs, duration µs, host, kind], expected shift in µs, warnings
    ['fits inside its parent', 1010, 80, 'B', 'SERVER', 0, 0],
    ['starts before its parent', 900, 80, 'B', 'SERVER', 110, 1],
    ['ends after its parent', 1050, 80, 'B', 'SERVER', -40, 1],
    ['starts after its parent has ended', 5000, 20, 'B', 'SERVER', -3960, 1],
    ['is longer than its parent (nothing to go on)', 900, 150, 'B', 'SERVER', 0, 0],
    ['is on the same host (one clock)', 900, 80, 'A', 'SERVER', 0, 0],
    ['is a CONSUMER (asynchronous hop)', 5000, 20, 'B', 'CONSUMER', 0, 0],
    ['would move further than the limit', 900_000_000, 80, 'B', 'SERVER', 0, 1],
  ] as const)('a child on host %s that %s', (_name, start, duration, host, kind, shiftUs, warningCount) => {
    const child = span('2', '1', start, duration, { host, kind });
    const out = adjust([parent(), child]);
    const moved = out.spans[1]!;
    expect(moved.startTimeUnixNano - child.startTimeUnixNano).toBe(BigInt(shiftUs) * US);
    expect(moved.endTimeUnixNano - moved.startTimeUnixNano).toBe(BigInt(duration) * US);
    expect(out.warnings).toHaveLength(warningCount);
    expect(moved.warnings).toHaveLength(warningCount);
    if (warningCount > 0) expect(out.warnings[0]).toMatch(/^span 0000000000000002 \(svc "op-2"\): .*clock skew/);
    if (shiftUs !== 0) {
      // Centred: equal gaps before and after.
      expect(moved.startTimeUnixNano - 1000n * US).toBe(1100n * US - moved.endTimeUnixNano);
    }
  });

  it('leaves a PRODUCER parent’s children alone', () => {
    const out = adjust([parent({ kind: 'PRODUCER' }), span('2', '1', 5000, 20, { host: 'B', kind: 'SERVER' })]);
    expect(out.spans[1]!.startTimeUnixNano).toBe(5000n * US);
    expect(out.warnings).toEqual([]);
  });

  it('reports but does not apply skew when the limit is 0 (disabled)', () => {
    const out = adjust([parent(), span('2', '1', 900, 80, { host: 'B' })], 0);
    expect(out.spans[1]!.startTimeUnixNano).toBe(900n * US);
    expect(out.warnings[0]).toContain('disabled');
  });

  it('moves the same-host subtree with the adjusted span, and judges a third host against the moved span', () => {
    const out = adjust([
      parent(),
      span('2', '1', 900, 80, { host: 'B', kind: 'SERVER' }), // → 1010
      span('3', '2', 905, 10, { host: 'B' }), // same host: → 1015, with a warning naming span 2
      span('4', '3', 1000, 4, { host: 'C', kind: 'SERVER' }), // vs moved span 3 [1015,1025]: centred → 1018
    ]);
    expect(out.spans.map((s) => s.startTimeUnixNano / US)).toEqual([1000n, 1010n, 1015n, 1018n]);
    expect(out.warnings).toHaveLength(3);
    expect(out.warnings[1]).toContain('together with span 0000000000000002');
    expect(out.spans[2]!.endTimeUnixNano / US).toBe(1025n);
  });

  it('shifts events with their span', () => {
    const child = span('2', '1', 900, 80, {
      host: 'B',
      events: [{ timeUnixNano: 950n * US, name: 'e', attributes: {} }],
    });
    const out = adjust([parent(), child]);
    expect(out.spans[1]!.events[0]!.timeUnixNano).toBe(1060n * US);
  });

  it('returns the trace unchanged when nothing needs moving, and survives a parent loop', () => {
    const input = toWorkingTrace('a'.repeat(32), [
      span('1', '2', 0, 10, { host: 'A' }),
      span('2', '1', 0, 10, { host: 'B' }),
    ]);
    expect(clockSkewAdjuster({ maxDeltaNano: 1n }).adjust(input)).toBe(input);
  });

  it.each([
    [1000, 100, 1010, 80, 0n],
    [1000, 100, 900, 80, 110n],
    [1000, 100, 900, 100, 100n],
    [1000, 100, 900, 101, 0n],
  ])('skewAgainst(parent %i+%i, child %i+%i) = %i µs', (ps, pd, cs, cd, want) => {
    const p = toWorkingTrace('x', [span('1', '', ps, pd)]).spans[0]!;
    const c = toWorkingTrace('x', [span('2', '1', cs, cd)]).spans[0]!;
    expect(skewAgainst(c, p)).toBe(want * US);
  });
});

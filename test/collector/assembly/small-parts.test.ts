import { describe, expect, it } from 'vitest';
import { formatNanos } from '../../../collector/assembly/format-nanos.js';
import { hostKey } from '../../../collector/assembly/host-key.js';
import { sortByStart } from '../../../collector/assembly/sort-by-start.js';
import { DEFAULT_MAX_CLOCK_SKEW_NANO, standardAdjusters } from '../../../collector/assembly/standard-adjusters.js';
import { toWorkingTrace } from '../../../collector/assembly/working-trace.js';
import { span } from './zipkin-spans.js';

describe('formatNanos', () => {
  it.each([
    [0n, '+0ns'],
    [999n, '+999ns'],
    [481_000n, '+481µs'],
    [65_922_000n, '+65.922ms'],
    [-1_500_000_000n, '-1.5s'],
    [90_000_000_000n, '+1.5min'],
    [7_200_000_000_000n, '+2h'],
  ])('%s ns → %s', (ns, text) => expect(formatNanos(ns)).toBe(text));
});

describe('hostKey', () => {
  it.each([
    [{ 'service.name': 's', 'host.name': 'n1', 'host.ip': '10.0.0.1' }, 's', 'host:n1'],
    [{ 'service.name': 's', 'host.id': 'i-1', 'host.name': 'n1' }, 's', 'host:i-1'],
    [{ 'service.name': 's', 'host.ip': ['10.0.0.2', '::1'] }, 's', 'host:10.0.0.2'],
    [{ 'service.name': 's', 'host.name': '' }, 's', 'service:s/'],
    [{ 'service.name': 's', 'service.instance.id': 'pod-7' }, 's', 'service:s/pod-7'],
  ])('%j → %s', (resource, serviceName, want) => {
    expect(hostKey({ resource, serviceName, attributes: {} })).toBe(want);
  });

  it.each([
    ['192.0.2.7', 'host:192.0.2.7'],
    ['127.0.0.1', 'service:s/'],
    ['::1', 'service:s/'],
  ])('a span whose local address is %s → %s', (address, want) => {
    expect(
      hostKey({
        resource: { 'service.name': 's' },
        serviceName: 's',
        attributes: { 'network.local.address': address },
      }),
    ).toBe(want);
  });
});

describe('sort-by-start', () => {
  it('orders spans by start then id, and events by time', () => {
    const e = (t: bigint, name: string) => ({ timeUnixNano: t, name, attributes: {} });
    const out = sortByStart.adjust(
      toWorkingTrace('x', [
        span('3', '', 20, 1),
        span('2', '', 10, 1, { events: [e(9n, 'late'), e(1n, 'early'), e(9n, 'late-2')] }),
        span('1', '', 10, 1),
      ]),
    );
    expect(out.spans.map((s) => s.spanId.replace(/^0+/, ''))).toEqual(['1', '2', '3']);
    expect(out.spans[1]!.events.map((x) => x.name)).toEqual(['early', 'late', 'late-2']);
  });
});

describe('standardAdjusters', () => {
  it('declares dedupe, then clock skew, then sorting', () => {
    expect(standardAdjusters().map((a) => a.name)).toEqual([
      'untimed-merger',
      'span-id-deduper',
      'clock-skew',
      'sort-by-start',
    ]);
    expect(DEFAULT_MAX_CLOCK_SKEW_NANO).toBe(60_000_000_000n);
  });
});

import { ROOT_CONTEXT, propagation, trace, type TextMapGetter, type TextMapSetter } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { SidecarPropagator, parsePropagatorList, type PropagatorName } from '../../../sidecar/propagation/composite.js';
import { getSamplingHint, isDebug } from '../../../sidecar/propagation/context-keys.js';

type Headers = Record<string, string>;
const getter: TextMapGetter<Headers> = { get: (c, k) => c[k.toLowerCase()], keys: (c) => Object.keys(c) };
const setter: TextMapSetter<Headers> = { set: (c, k, v) => void (c[k.toLowerCase()] = v) };

const T = '4bf92f3577b34da6a3ce929d0e0e4736';
const S = '00f067aa0ba902b7';
const BT = '80f198ee56343ba864fe8b2a57d3eff7';
const BS = 'e457b5a2e4d86bd1';

function roundTrip(
  names: PropagatorName[],
  inbound: Headers,
): { outbound: Headers; traceId?: string; spanId?: string } {
  const p = new SidecarPropagator(names);
  const ctx = p.extract(ROOT_CONTEXT, inbound, getter);
  const outbound: Headers = {};
  p.inject(ctx, outbound, setter);
  const sc = trace.getSpanContext(ctx);
  return { outbound, ...(sc ? { traceId: sc.traceId, spanId: sc.spanId } : {}) };
}

const ALL: PropagatorName[] = ['tracecontext', 'baggage', 'b3multi', 'jaeger'];

describe('SidecarPropagator extraction: the first configured format with a valid context wins', () => {
  it.each([
    ['W3C before B3 by default', ALL, { traceparent: `00-${T}-${S}-01`, b3: `${BT}-${BS}-1` }, T],
    [
      'B3 first when configured first',
      ['b3multi', 'tracecontext'] as PropagatorName[],
      { traceparent: `00-${T}-${S}-01`, b3: `${BT}-${BS}-1` },
      BT,
    ],
    [
      'an invalid traceparent falls through to B3',
      ALL,
      { traceparent: `00-${'0'.repeat(32)}-${S}-01`, 'x-b3-traceid': BT, 'x-b3-spanid': BS },
      BT,
    ],
    [
      'a malformed uber-trace-id never replaces W3C',
      ALL,
      { traceparent: `00-${T}-${S}-01`, 'uber-trace-id': 'garbage' },
      T,
    ],
    ['Jaeger alone', ALL, { 'uber-trace-id': `${BT}:${BS}:0:1` }, BT],
    [
      'a format that is not configured is ignored',
      ['tracecontext'] as PropagatorName[],
      { b3: `${BT}-${BS}-1` },
      undefined,
    ],
    ['none extracts nothing', ['none'] as PropagatorName[], { traceparent: `00-${T}-${S}-01` }, undefined],
  ])('%s', (_name, names, inbound, expectedTrace) => {
    expect(roundTrip(names, inbound).traceId).toBe(expectedTrace);
  });
});

describe('SidecarPropagator injection', () => {
  it('writes every configured format for the same context', () => {
    const { outbound } = roundTrip(ALL, { traceparent: `00-${T}-${S}-01`, tracestate: 'congo=t61rcWkgMzE' });
    expect(outbound).toEqual({
      traceparent: `00-${T}-${S}-01`,
      tracestate: 'congo=t61rcWkgMzE',
      'x-b3-traceid': T,
      'x-b3-spanid': S,
      'x-b3-sampled': '1',
      'uber-trace-id': `${T}:${S}:0:1`,
    });
  });

  it.each([
    [
      'b3 single debug → multi',
      ['b3multi'] as PropagatorName[],
      { b3: `${BT}-${BS}-d` },
      { 'x-b3-traceid': BT, 'x-b3-spanid': BS, 'x-b3-flags': '1' },
    ],
    ['b3 single debug → single', ['b3'] as PropagatorName[], { b3: `${BT}-${BS}-d` }, { b3: `${BT}-${BS}-d` }],
    [
      'b3 multi debug → jaeger',
      ['b3multi', 'jaeger'] as PropagatorName[],
      { 'x-b3-traceid': BT, 'x-b3-spanid': BS, 'x-b3-flags': '1' },
      { 'x-b3-traceid': BT, 'x-b3-spanid': BS, 'x-b3-flags': '1', 'uber-trace-id': `${BT}:${BS}:0:3` },
    ],
    [
      'b3 deny → traceparent not sampled',
      ['tracecontext', 'b3multi'] as PropagatorName[],
      { b3: `${BT}-${BS}-0` },
      { traceparent: `00-${BT}-${BS}-00`, 'x-b3-traceid': BT, 'x-b3-spanid': BS, 'x-b3-sampled': '0' },
    ],
  ])('carries the decision on: %s', (_name, names, inbound, expected) => {
    expect(roundTrip(names, inbound).outbound).toEqual(expected);
  });

  it('keeps the random-trace-id flag of a continued W3C trace and clears it for other sources', () => {
    expect(roundTrip(['tracecontext'], { traceparent: `00-${T}-${S}-03` }).outbound['traceparent']).toBe(
      `00-${T}-${S}-03`,
    );
    expect(roundTrip(['tracecontext'], { traceparent: `00-${T}-${S}-01` }).outbound['traceparent']).toBe(
      `00-${T}-${S}-01`,
    );
    expect(roundTrip(['tracecontext', 'b3'], { b3: `${BT}-${BS}-1` }).outbound['traceparent']).toBe(
      `00-${BT}-${BS}-01`,
    );
  });

  it('merges W3C baggage and Jaeger uberctx- baggage and passes both on', () => {
    const p = new SidecarPropagator(ALL);
    const ctx = p.extract(
      ROOT_CONTEXT,
      { baggage: 'tenant=acme,region=eu%20west', 'uberctx-user-tier': 'gold%20plus' },
      getter,
    );
    const entries = Object.fromEntries(
      (propagation.getBaggage(ctx)?.getAllEntries() ?? []).map(([k, v]) => [k, v.value]),
    );
    expect(entries).toEqual({ tenant: 'acme', region: 'eu west', 'user-tier': 'gold plus' });
    const out: Headers = {};
    p.inject(ctx, out, setter);
    expect(out['baggage']?.split(',').sort()).toEqual(['region=eu%20west', 'tenant=acme', 'user-tier=gold%20plus']);
    expect(out['uberctx-tenant']).toBe('acme');
    expect(out['uberctx-user-tier']).toBe('gold%20plus');
  });

  it('records sampling hints and the debug flag for the sampler', () => {
    const p = new SidecarPropagator(ALL);
    expect(getSamplingHint(p.extract(ROOT_CONTEXT, { b3: '0' }, getter))).toBe('deny');
    expect(getSamplingHint(p.extract(ROOT_CONTEXT, { 'x-b3-traceid': BT, 'x-b3-spanid': BS }, getter))).toBe('defer');
    expect(isDebug(p.extract(ROOT_CONTEXT, { b3: `${BT}-${BS}-d` }, getter))).toBe(true);
  });
});

describe('parsePropagatorList (OTEL_PROPAGATORS)', () => {
  it.each([
    [undefined, ['tracecontext', 'baggage', 'b3multi', 'jaeger'], []],
    ['', ['tracecontext', 'baggage', 'b3multi', 'jaeger'], []],
    ['tracecontext, B3 ,b3', ['tracecontext', 'b3'], []],
    ['none', [], []],
    ['tracecontext,xray,ottrace', ['tracecontext'], ['xray', 'ottrace']],
  ])('%j', (text, names, unknown) => {
    expect(parsePropagatorList(text)).toEqual({ names, unknown });
  });
});

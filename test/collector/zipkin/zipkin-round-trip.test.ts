import { describe, expect, it } from 'vitest';
import { toZipkinSpans } from '../../../collector/zipkin/zipkin-mapping.js';
import type { ZipkinSpan } from '../../../collector/zipkin/zipkin-types.js';
import { decodeZipkinSpans } from '../../../collector/zipkin/decode-zipkin.js';
import { readFixture } from '../../support/fixtures.js';
import { makeSpan } from '../support/span-builder.js';
import { zipkinProblems, zipkinSchemas } from '../support/zipkin-schema.js';

/**
 * Zipkin in, Zipkin out: spans the collector's Zipkin receiver stored come back out of the mapping as
 * Zipkin sent them (ids widened to 128 bits, service names and tags as they were), so Zipkin users
 * see their own data, and the export of our own spans survives the receiver.
 */
const pad = (id: string): string => id.padStart(32, '0');

function normalised(s: ZipkinSpan): ZipkinSpan {
  return { ...s, traceId: pad(s.traceId) };
}

describe('Zipkin → span records → Zipkin', () => {
  it.each(['clock-skew.json', 'messaging.json', 'db-calls.json', 'proxy-single.json'])('gives back %s', (file) => {
    const original = JSON.parse(readFixture('zipkin', file)) as ZipkinSpan[];
    const stored = decodeZipkinSpans(Buffer.from(JSON.stringify(original))).map((c) => c.span);
    const back = toZipkinSpans(stored);
    expect(zipkinProblems(zipkinSchemas.listOfSpans, back)).toBe('');
    expect(back).toStrictEqual(original.map(normalised));
  });

  it('keeps event attributes, status, scope, shared and debug through the receiver', () => {
    const span = makeSpan({
      kind: 'SERVER',
      attributes: { 'zipkin.shared': true, 'zipkin.debug': true, 'ml.model.name': 'iris' },
      events: [{ timeUnixNano: 1_706_678_909_210_000_000n, name: 'retry "1"', attributes: { attempt: 2 } }],
      status: { code: 'ERROR', message: 'boom' },
    });
    const sent = toZipkinSpans([span]);
    expect([sent[0]?.shared, sent[0]?.debug, sent[0]?.tags?.['zipkin.shared']]).toStrictEqual([true, true, undefined]);
    const [back] = decodeZipkinSpans(Buffer.from(JSON.stringify(sent))).map((c) => c.span);
    expect(back?.events).toStrictEqual(span.events);
    expect(back?.status).toStrictEqual(span.status);
    expect(back?.scope).toStrictEqual(span.scope);
    expect(toZipkinSpans(back === undefined ? [] : [back])).toStrictEqual(sent);
  });
});

import { decodeJsonRequest } from '../../../collector/otlp/decode-json.js';
import type { SpanRecord } from '../../../shared/span-record.js';
import { readFixture } from '../../support/fixtures.js';

/** Spans of an OTLP/JSON body, decoded by the collector's own receiver (rejections fail the test). */
export function decodeOtlpJson(body: unknown): SpanRecord[] {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return decodeJsonRequest(Buffer.from(text)).map((c) => {
    if (c.problem !== undefined) throw new Error(`the receiver rejected span ${c.span.spanId}: ${c.problem.message}`);
    return c.span;
  });
}

/** Spans of an OTLP/JSON file under test/fixtures. */
export function fixtureSpans(...path: string[]): SpanRecord[] {
  return decodeOtlpJson(readFixture(...path));
}

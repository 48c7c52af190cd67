import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCollectorConfig } from '../../../collector/config.js';
import type { RunningCollector } from '../../../collector/main.js';
import { startCollector } from '../../../collector/main.js';
import { otlpRequest, otlpSpan } from '../support/otlp-factory.js';

// A sender's malformed span is refused with a message naming the field and the rule, never the
// value in it: the message reaches the collector's log and its answer.
const SECRET = 'alice.smith@example.com';

describe('validation messages carry no values', () => {
  let collector: RunningCollector;
  const logs: string[] = [];

  beforeAll(async () => {
    collector = await startCollector(readCollectorConfig({ port: '0', db: ':memory:' }, {}), {
      logger: { level: 'trace', stream: { write: (line: string) => void logs.push(line) } },
    });
  });
  afterAll(async () => collector?.close());

  it.each([
    [
      'an intValue',
      { attributes: [{ key: 'customer', value: { intValue: SECRET } }] },
      /attribute "customer" intValue must be an integer, got a string of 23 characters/,
    ],
    [
      'a doubleValue',
      { attributes: [{ key: 'customer', value: { doubleValue: SECRET } }] },
      /attribute "customer" doubleValue must be a number, got a string/,
    ],
    ['a start time', { startTimeUnixNano: SECRET }, /startTimeUnixNano must be a non-negative integer/],
    ['a kind', { kind: SECRET }, /kind must be an integer, got a string/],
    ['a trace id', { traceId: SECRET }, /traceId must be 32 hex digits/],
    ['a span id', { spanId: SECRET }, /spanId must be 16 hex digits/],
  ])('refuses a personal value in %s without repeating it', async (_name, fields, message) => {
    const res = await fetch(`${collector.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(otlpRequest([otlpSpan(fields as never)])),
    });
    const text = (await res.text()).replace(/\\"/g, '"');
    expect(text).toMatch(message);
    expect(text).not.toContain('alice');
    expect(logs.join('')).not.toContain('alice');
  });

  it('refuses a personal value as a Zipkin kind without repeating it', async () => {
    const res = await fetch(`${collector.url}/api/v2/spans`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        {
          traceId: '0123456789abcdef0123456789abcdef',
          id: '0123456789abcdef',
          name: 'x',
          timestamp: 1,
          duration: 1,
          kind: SECRET,
        },
      ]),
    });
    const text = await res.text();
    expect(text).toContain('kind must be');
    expect(text).not.toContain('alice');
    expect(logs.join('')).not.toContain('alice');
  });
});

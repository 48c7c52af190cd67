import type { SpanKind, SpanRecord } from '../../../shared/span-record.js';
import { readFixtureJson } from '../../support/fixtures.js';

/**
 * A small Zipkin v2 JSON → SpanRecord mapping, just enough to feed the Zipkin traces in
 * test/fixtures/zipkin to the assembler (the product's Zipkin receiver lives elsewhere).
 */
interface ZipkinSpan {
  traceId: string;
  id: string;
  parentId?: string;
  kind?: string;
  name?: string;
  timestamp: number;
  duration?: number;
  localEndpoint?: { serviceName?: string; ipv4?: string };
  tags?: Record<string, string>;
  shared?: boolean;
}

export function zipkinToRecords(spans: readonly ZipkinSpan[]): SpanRecord[] {
  return spans.map((z) => {
    const start = BigInt(z.timestamp) * 1000n;
    const service = z.localEndpoint?.serviceName ?? 'unknown_service';
    const resource: SpanRecord['resource'] = { 'service.name': service };
    const tags = z.tags ?? {};
    const attributes: SpanRecord['attributes'] = { ...tags };
    // As the collector's Zipkin receiver maps them.
    if (z.localEndpoint?.ipv4 !== undefined) attributes['network.local.address'] = z.localEndpoint.ipv4;
    if (z.shared === true) attributes['zipkin.shared'] = true;
    return {
      traceId: z.traceId.padStart(32, '0'),
      spanId: z.id,
      parentSpanId: z.parentId ?? '',
      traceState: '',
      name: z.name ?? '',
      kind: (z.kind ?? 'INTERNAL') as SpanKind,
      startTimeUnixNano: start,
      endTimeUnixNano: start + BigInt(z.duration ?? 0) * 1000n,
      attributes,
      events: [],
      links: [],
      status: 'error' in tags ? { code: 'ERROR', message: tags.error ?? '' } : { code: 'UNSET', message: '' },
      flags: 1,
      serviceName: service,
      resource,
      scope: { name: 'zipkin', version: '' },
    };
  });
}

export function zipkinFixture(file: string): { raw: ZipkinSpan[]; records: SpanRecord[] } {
  const raw = readFixtureJson<ZipkinSpan[]>('zipkin', file);
  return { raw, records: zipkinToRecords(raw) };
}

/** A bare span for table tests: ids and times in microseconds keep the tables readable. */
export function span(
  id: string,
  parent: string,
  startUs: number,
  durationUs: number,
  extra: Partial<SpanRecord> & { host?: string } = {},
): SpanRecord {
  const { host, ...overrides } = extra;
  const service = overrides.serviceName ?? 'svc';
  const start = BigInt(startUs) * 1000n;
  return {
    traceId: 'a'.repeat(32),
    spanId: id.padStart(16, '0'),
    parentSpanId: parent === '' ? '' : parent.padStart(16, '0'),
    traceState: '',
    name: `op-${id}`,
    kind: 'INTERNAL',
    startTimeUnixNano: start,
    endTimeUnixNano: start + BigInt(durationUs) * 1000n,
    attributes: {},
    events: [],
    links: [],
    status: { code: 'UNSET', message: '' },
    flags: 1,
    serviceName: service,
    resource: host === undefined ? { 'service.name': service } : { 'service.name': service, 'host.name': host },
    scope: { name: 'test', version: '' },
    ...overrides,
  };
}

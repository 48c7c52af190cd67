import type { AttributeValue, SpanRecord } from '../../shared/span-record.js';

/**
 * Which clock a span was timed by. Spans with the same key share a clock and are never adjusted
 * against each other. The host's identity comes from the resource (OpenTelemetry's `host.*`), else
 * from the span's local address (where the Zipkin receiver puts a local endpoint's IP; loopback
 * addresses name no host); without either, a service instance stands for its host.
 */
const HOST_ATTRIBUTES = ['host.id', 'host.name', 'host.ip', 'net.host.ip', 'ip', 'hostname'] as const;

export function hostKey(span: Pick<SpanRecord, 'resource' | 'serviceName' | 'attributes'>): string {
  for (const key of HOST_ATTRIBUTES) {
    const text = keyText(span.resource[key]);
    if (text !== undefined) return `host:${text}`;
  }
  const local = keyText(span.attributes['network.local.address']);
  if (local !== undefined && !isLoopback(local)) return `host:${local}`;
  const instance = keyText(span.resource['service.instance.id']) ?? '';
  return `service:${span.serviceName}/${instance}`;
}

function keyText(value: AttributeValue | undefined): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number') return String(value);
  // OpenTelemetry's host.ip is an array of addresses; the first stands for the host.
  if (Array.isArray(value) && value.length > 0) return keyText(value[0]);
  return undefined;
}

function isLoopback(address: string): boolean {
  return address.startsWith('127.') || address === '::1' || address === 'localhost';
}

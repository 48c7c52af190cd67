import { isIPv4, isIPv6 } from 'node:net';
import type { Attributes, AttributeValue, SpanRecord } from '../../shared/span-record.js';
import { UNKNOWN_SERVICE } from '../../shared/span-record.js';
import type { ZipkinEndpoint } from './zipkin-types.js';

/**
 * Zipkin endpoints from span attributes. The remote endpoint of CLIENT, PRODUCER and CONSUMER spans
 * follows the ranking of the OpenTelemetry → Zipkin mapping (peer.service first, db.name last), so
 * Zipkin sees the call as a dependency; a SERVER span's remote endpoint is its caller.
 */

type Rank = { name: string; port?: string; pair?: boolean };

/** The mapping's table, best first. `pair`: an address that is combined with its port. */
const REMOTE_ENDPOINT_RANKING: readonly Rank[] = [
  { name: 'peer.service' },
  { name: 'server.address', port: 'server.port' },
  { name: 'net.peer.name', port: 'net.peer.port' },
  { name: 'network.peer.address', port: 'network.peer.port', pair: true },
  { name: 'server.socket.domain', port: 'server.socket.port' },
  { name: 'server.socket.address', port: 'server.socket.port', pair: true },
  { name: 'net.sock.peer.name', port: 'net.sock.peer.port' },
  { name: 'net.sock.peer.addr', port: 'net.sock.peer.port', pair: true },
  { name: 'peer.hostname' },
  { name: 'peer.address' },
  { name: 'db.name' },
];

/** Where a server span finds its caller's address, best first. */
const CALLER_ADDRESSES: readonly Rank[] = [
  { name: 'client.address', port: 'client.port' },
  { name: 'network.peer.address', port: 'network.peer.port' },
  { name: 'net.sock.peer.addr', port: 'net.sock.peer.port' },
  { name: 'net.peer.ip', port: 'net.peer.port' },
];

function text(value: AttributeValue | undefined): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function port(value: AttributeValue | undefined): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  // Zipkin asks never to send port 0.
  return Number.isInteger(n) && n > 0 && n <= 65535 ? n : undefined;
}

/** ipv4/ipv6 fields for an IP literal (IPv4-mapped IPv6 goes to ipv4, as Zipkin prefers). */
function ipFields(address: string): Pick<ZipkinEndpoint, 'ipv4' | 'ipv6'> {
  const bare = address.replace(/^\[(.*)\]$/, '$1');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped?.[1] !== undefined && isIPv4(mapped[1])) return { ipv4: mapped[1] };
  if (isIPv4(bare)) return { ipv4: bare };
  if (isIPv6(bare)) return { ipv6: bare };
  return {};
}

/** Where the peer's socket address may be, best first (only IP literals are used). */
const PEER_ADDRESSES: readonly Rank[] = [
  { name: 'network.peer.address', port: 'network.peer.port' },
  { name: 'net.sock.peer.addr', port: 'net.sock.peer.port' },
  { name: 'net.peer.ip', port: 'net.peer.port' },
];

/** Adds ipv4/ipv6 (and the port) from the first IP-literal address among `ranks`. */
function addSocket(endpoint: ZipkinEndpoint, attributes: Attributes, ranks: readonly Rank[]): void {
  for (const rank of ranks) {
    const address = text(attributes[rank.name]);
    if (address === undefined) continue;
    const ip = ipFields(address);
    if (ip.ipv4 === undefined && ip.ipv6 === undefined) continue;
    Object.assign(endpoint, ip);
    const p = rank.port === undefined ? undefined : port(attributes[rank.port]);
    if (p !== undefined && endpoint.port === undefined) endpoint.port = p;
    return;
  }
}

/** The remote endpoint of a client/producer/consumer span, by the mapping's ranking. */
export function rankedRemoteEndpoint(attributes: Attributes): ZipkinEndpoint | undefined {
  for (const rank of REMOTE_ENDPOINT_RANKING) {
    const name = text(attributes[rank.name]);
    if (name === undefined) continue;
    const p = rank.port === undefined ? undefined : port(attributes[rank.port]);
    const serviceName = rank.pair === true && p !== undefined ? `${name}:${p}` : name;
    const endpoint: ZipkinEndpoint = { serviceName };
    if (rank.name !== 'peer.service' && rank.name !== 'db.name') Object.assign(endpoint, ipFields(name));
    if (p !== undefined) endpoint.port = p;
    // A name alone says who; the socket address, when known, says where.
    if (endpoint.ipv4 === undefined && endpoint.ipv6 === undefined) addSocket(endpoint, attributes, PEER_ADDRESSES);
    return endpoint;
  }
  return undefined;
}

/** The caller of a server span: `peer.service` as its name, and its socket address when it is an IP. */
function callerEndpoint(attributes: Attributes): ZipkinEndpoint | undefined {
  const endpoint: ZipkinEndpoint = {};
  const serviceName = text(attributes['peer.service']);
  if (serviceName !== undefined) endpoint.serviceName = serviceName;
  addSocket(endpoint, attributes, CALLER_ADDRESSES);
  return Object.keys(endpoint).length === 0 ? undefined : endpoint;
}

export function remoteEndpoint(span: SpanRecord): ZipkinEndpoint | undefined {
  switch (span.kind) {
    case 'CLIENT':
    case 'PRODUCER':
    case 'CONSUMER':
      return rankedRemoteEndpoint(span.attributes);
    case 'SERVER':
      return callerEndpoint(span.attributes);
    default:
      return undefined;
  }
}

/**
 * The service that recorded the span, with its own address when one is known (`network.local.*`).
 * A span whose resource names no service (Zipkin spans sent without one) leaves the name absent,
 * as Zipkin asks; undefined when nothing is known.
 */
export function localEndpoint(span: SpanRecord): ZipkinEndpoint | undefined {
  const endpoint: ZipkinEndpoint = {};
  if (typeof span.resource['service.name'] === 'string' || span.serviceName !== UNKNOWN_SERVICE)
    endpoint.serviceName = span.serviceName;
  addSocket(endpoint, span.attributes, [{ name: 'network.local.address', port: 'network.local.port' }]);
  return Object.keys(endpoint).length === 0 ? undefined : endpoint;
}

/**
 * Tags the endpoints already carry, in the form the collector's Zipkin receiver turns endpoints
 * back into (peer.service, network.peer.*, network.local.*): left out, so a Zipkin span stored and
 * exported again is the span that was sent.
 */
export function tagsCarriedByEndpoints(
  attributes: Attributes,
  local: ZipkinEndpoint | undefined,
  remote: ZipkinEndpoint | undefined,
): string[] {
  const carried: string[] = [];
  const same = (key: string, value: string | number | undefined): void => {
    const own = attributes[key];
    if (value !== undefined && (own === value || (typeof own === 'string' && own === String(value)))) carried.push(key);
  };
  same('peer.service', remote?.serviceName);
  same('network.peer.address', remote?.ipv6 ?? remote?.ipv4);
  same('network.peer.port', remote?.port);
  same('network.local.address', local?.ipv6 ?? local?.ipv4);
  same('network.local.port', local?.port);
  return carried;
}

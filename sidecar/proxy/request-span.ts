import { DEFAULT_METADATA_PROTECTION, type HttpMetadataProtection } from '../capture/privacy/http-metadata-rules.js';
import type { Attributes as OtelAttributes } from '@opentelemetry/api';
import type { IncomingMessage } from 'node:http';
import { HTTP, ML, PEER } from '../../shared/attribute-keys.js';
import type { ModelRoute } from './model-path.js';

/**
 * Span names and HTTP semantic-convention attributes for the SERVER span (the client's call to
 * the sidecar) and the CLIENT span (the sidecar's call to the model). Pure builders.
 */

const KNOWN_METHODS = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'CONNECT',
  'OPTIONS',
  'TRACE',
  'PATCH',
  'QUERY',
]);

/** Semconv: unknown methods are recorded as `_OTHER`, the original kept beside it. */
export function methodAttributes(method: string): OtelAttributes {
  return KNOWN_METHODS.has(method)
    ? { [HTTP.requestMethod]: method }
    : { [HTTP.requestMethod]: '_OTHER', 'http.request.method_original': method };
}

export function spanName(method: string, route: string | undefined): string {
  const m = KNOWN_METHODS.has(method) ? method : 'HTTP';
  return route ? `${m} ${route}` : m;
}

/** Splits `host[:port]` / `[v6]:port` from a Host header. */
export function parseHostHeader(host: string | undefined): { address?: string; port?: number } {
  if (!host) return {};
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(host.trim());
  if (!m) return {};
  const address = (m[1] as string).replace(/^\[|\]$/g, '');
  return m[2] === undefined ? { address } : { address, port: Number(m[2]) };
}

export interface InboundRequest {
  method: string;
  path: string;
  query: string;
  route: ModelRoute;
  requestId: string;
}

export function serverSpanAttributes(
  req: IncomingMessage,
  inbound: InboundRequest,
  metadata: HttpMetadataProtection = DEFAULT_METADATA_PROTECTION,
): OtelAttributes {
  // One object literal of fixed shape first (cheap for V8), optional attributes after.
  const known = KNOWN_METHODS.has(inbound.method);
  const attrs: OtelAttributes = {
    [HTTP.requestMethod]: known ? inbound.method : '_OTHER',
    [HTTP.urlScheme]: 'http',
    [HTTP.urlPath]: inbound.path,
    [HTTP.networkProtocolVersion]: req.httpVersion,
    [ML.requestId]: inbound.requestId,
  };
  if (!known) attrs['http.request.method_original'] = inbound.method;
  const query = inbound.query ? metadata.query(inbound.query) : undefined;
  if (query !== undefined) attrs[HTTP.urlQuery] = query;
  if (inbound.route.route) attrs[HTTP.route] = inbound.route.route;
  if (inbound.route.modelName) attrs[ML.modelName] = inbound.route.modelName;
  if (inbound.route.modelVersion) attrs[ML.modelVersion] = inbound.route.modelVersion;
  const host = parseHostHeader(req.headers.host);
  if (host.address) attrs[HTTP.serverAddress] = host.address;
  if (host.port !== undefined) attrs[HTTP.serverPort] = host.port;
  const peer = req.socket.remoteAddress;
  const client = peer ? metadata.clientAddress(peer) : undefined;
  if (client !== undefined) attrs[HTTP.clientAddress] = client;
  const ua = req.headers['user-agent'];
  const agent = ua ? metadata.userAgent(ua) : undefined;
  if (agent !== undefined) attrs[HTTP.userAgent] = agent;
  return attrs;
}

/** The model server's address, worked out once per proxy rather than per call. */
export interface UpstreamTarget {
  origin: string;
  address: string;
  port: number;
  /** Path prefix of the upstream URL, without a trailing slash ('' for none). */
  basePath: string;
}

export function upstreamTarget(upstream: string): UpstreamTarget {
  const u = new URL(upstream);
  return {
    origin: u.origin,
    address: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80,
    basePath: u.pathname.replace(/\/+$/, ''),
  };
}

/**
 * `peer.service` names the model server in dependency graphs, which draw an edge to it from this
 * span alone (model servers rarely emit spans): the configured name, else the model the path
 * names, else the upstream host.
 */
export function peerServiceOf(configured: string | undefined, route: ModelRoute, target: UpstreamTarget): string {
  return configured ?? route.modelName ?? target.address;
}

export function clientSpanAttributes(
  method: string,
  target: UpstreamTarget,
  pathAndQuery: string,
  peerService: string,
  metadata: HttpMetadataProtection = DEFAULT_METADATA_PROTECTION,
): OtelAttributes {
  const known = KNOWN_METHODS.has(method);
  const attrs: OtelAttributes = {
    [HTTP.requestMethod]: known ? method : '_OTHER',
    [HTTP.serverAddress]: target.address,
    [HTTP.serverPort]: target.port,
    [PEER.service]: peerService,
  };
  const full = metadata.url(`${target.origin}${pathAndQuery}`);
  if (full !== undefined) attrs[HTTP.urlFull] = full;
  if (!known) attrs['http.request.method_original'] = method;
  return attrs;
}

import { ML } from '../../../shared/attribute-keys.js';
import type { Attributes, SpanRecord } from '../../../shared/span-record.js';
import { isRowAttribute } from '../batch-rows.js';

/**
 * The `anonymise` mode of an erasure (pure): the span stays for the latency and error history —
 * ids, times, name, kind, status code, service, model — and loses every captured value and every
 * attribute that identifies the person or their request: the pseudonym, the request id, the
 * client's address, the query, the user agent, request and response headers, the trace state,
 * the status message and the attributes of events and links. `ml.capture` becomes `erased`.
 */
const IDENTIFYING = new Set([
  ML.requestId,
  'client.address',
  'client.port',
  'source.address',
  'source.port',
  'network.peer.address',
  'network.peer.port',
  'url.query',
  'url.full',
  'user_agent.original',
  'session.id',
  'http.client_ip',
  'net.peer.ip',
  'http.url',
  'http.user_agent',
]);
const IDENTIFYING_PREFIXES = ['enduser.', 'user.', 'http.request.header.', 'http.response.header.'];

export function isIdentifying(name: string): boolean {
  return isRowAttribute(name) || IDENTIFYING.has(name) || IDENTIFYING_PREFIXES.some((p) => name.startsWith(p));
}

export function anonymised(span: SpanRecord): SpanRecord {
  const attributes: Attributes = {};
  for (const [name, value] of Object.entries(span.attributes)) if (!isIdentifying(name)) attributes[name] = value;
  attributes[ML.capture] = 'erased';
  return {
    ...span,
    traceState: '',
    attributes,
    events: span.events.map((e) => ({ ...e, attributes: {} })),
    links: span.links.map((l) => ({ ...l, traceState: '', attributes: {} })),
    status: { code: span.status.code, message: '' },
  };
}

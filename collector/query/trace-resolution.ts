import type { FastifyReply } from 'fastify';
import type { RequestResolution } from './trace-service.js';

/**
 * How a trace endpoint says it opened a trace by request id (the own, Jaeger and Zipkin
 * `…/trace(s)/{id}` routes): `infertrace-opened-by: request-id` and `infertrace-request-traces: <n>`,
 * the number of traces carrying that request id (the one answered is the most recent). Zipkin's
 * answer is a bare span list, so the headers are the only place there; the own and Jaeger answers
 * say it in their payload too.
 */
export const OPENED_BY_HEADER = 'infertrace-opened-by';
export const REQUEST_TRACES_HEADER = 'infertrace-request-traces';

export function setResolutionHeaders(reply: FastifyReply, resolution: RequestResolution): void {
  reply.header(OPENED_BY_HEADER, 'request-id');
  reply.header(REQUEST_TRACES_HEADER, String(resolution.traceCount));
}

/** The sentence shown to a person (a Jaeger trace warning). */
export function describeResolution(resolution: RequestResolution): string {
  const more = resolution.traceCount > 1 ? `; ${resolution.traceCount} traces carry it, this is the most recent` : '';
  return `opened by request id (ml.request.id)${more}`;
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { otlpJsonSpans } from './decode-json.js';
import { protobufSpans } from './decode-protobuf.js';
import { refuseCrowdedProtobuf } from './protobuf-census.js';
import { collectPaced, EventLoopPace } from '../receiver/event-loop-pace.js';
import type { IngestOptions } from '../receiver/ingest.js';
import { bodyUnread, readJsonBody, readRequestBody, requestCost, storeCandidates } from '../receiver/ingest.js';
import type { Receiver } from '../receiver/ingest-counters.js';
import { asIngestError, IngestError } from '../receiver/ingest-errors.js';
import type { OtlpFormat } from './otlp-response.js';
import { CONTENT_TYPES, encodeExportResponse, encodeStatus } from './otlp-response.js';
import type { SpanCandidate } from '../receiver/validate.js';
import { describeRejections } from '../receiver/validate.js';

/**
 * `POST /v1/traces`, the OTLP/HTTP trace receiver (otlp-specification.md, "OTLP/HTTP"): binary
 * protobuf or JSON by Content-Type, optional gzip; 200 + ExportTraceServiceResponse (partialSuccess
 * when spans were rejected), 4xx/5xx + google.rpc.Status, both in the request's encoding.
 */
const OTLP_TRACES_PATH = '/v1/traces';

/** The encoding named by a Content-Type header, or undefined when it is neither OTLP encoding. */
function otlpFormatOf(contentType: string | undefined): OtlpFormat | undefined {
  const media = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (media === 'application/x-protobuf' || media === 'application/protobuf') return 'protobuf';
  if (media === 'application/json') return 'json';
  return undefined;
}

const receiverOf = (format: OtlpFormat | undefined): Receiver | 'unknown' =>
  format === 'protobuf' ? 'otlp_protobuf' : format === 'json' ? 'otlp_json' : 'unknown';

function sendOtlpError(
  request: FastifyRequest,
  reply: FastifyReply,
  format: OtlpFormat,
  err: IngestError,
): FastifyReply {
  if (err.status >= 500) request.log.error({ err, code: err.code }, 'OTLP ingest failed');
  else request.log.info({ code: err.code, reason: err.message }, 'OTLP request refused');
  if (err.retryAfterSeconds !== undefined) reply.header('retry-after', String(err.retryAfterSeconds));
  // A body left unread must not be taken for the next request on this connection.
  if (bodyUnread(request)) reply.header('connection', 'close');
  return reply
    .code(err.status)
    .type(CONTENT_TYPES[format])
    .send(encodeStatus(format, err.grpc, err.code, err.message));
}

export async function otlpHttpRoutes(app: FastifyInstance, options: IngestOptions): Promise<void> {
  app.post(OTLP_TRACES_PATH, async (request, reply) => {
    const format = otlpFormatOf(request.headers['content-type']);
    const counters = options.counters;
    // Held until the spans are committed: the body, what decoding built, and the queued spans.
    const cost = requestCost(options);
    const { lease, meter } = cost;
    // Long work (a large body's parsing, decoding, validation) gives way to the event loop as it goes.
    const pace = new EventLoopPace();
    try {
      if (format === undefined) {
        throw new IngestError(
          'unsupported_media_type',
          `Content-Type "${request.headers['content-type'] ?? ''}" is not an OTLP encoding: use application/x-protobuf or application/json`,
        );
      }
      let spans: Iterable<SpanCandidate>;
      if (format === 'protobuf') {
        const body = await readRequestBody(request, options.bodyLimit, lease);
        await refuseCrowdedProtobuf(body, meter, pace);
        spans = protobufSpans(body, options.limits, meter);
      } else {
        spans = otlpJsonSpans(await readJsonBody(request, options, cost, pace), options.limits, meter);
      }
      const candidates = await collectPaced(spans, pace);
      const result = await storeCandidates(candidates, options, pace);
      counters.request(receiverOf(format), 200);
      const partial =
        result.rejected.length === 0
          ? undefined
          : { rejectedSpans: result.rejected.length, errorMessage: describeRejections(result.rejected, result.total) };
      if (partial !== undefined) request.log.info({ rejected: partial.rejectedSpans }, partial.errorMessage);
      return reply.code(200).type(CONTENT_TYPES[format]).send(encodeExportResponse(format, partial));
    } catch (e) {
      const err = asIngestError(e);
      counters.request(receiverOf(format), err.status, err.code);
      return sendOtlpError(request, reply, format ?? 'json', err);
    } finally {
      lease.release();
    }
  });

  // Other methods on the OTLP path: 405 naming the one that works (HEAD follows GET).
  app.route({
    method: ['GET', 'PUT', 'DELETE', 'PATCH'],
    url: OTLP_TRACES_PATH,
    handler: async (request, reply) => {
      options.counters.request('unknown', 405);
      const err = new IngestError(
        'method_not_allowed',
        `${request.method} is not allowed on ${OTLP_TRACES_PATH}: send spans with POST`,
      );
      reply.header('allow', 'POST');
      return sendOtlpError(request, reply, otlpFormatOf(request.headers['content-type']) ?? 'json', err);
    },
  });
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from '../../shared/errors.js';
import type { IngestOptions } from '../receiver/ingest.js';
import { collectPaced, EventLoopPace } from '../receiver/event-loop-pace.js';
import { bodyUnread, readJsonBody, requestCost, storeCandidates } from '../receiver/ingest.js';
import { asIngestError, IngestError } from '../receiver/ingest-errors.js';
import { describeRejections } from '../receiver/validate.js';
import { zipkinSpans } from './decode-zipkin.js';

/**
 * `POST /api/v2/spans` (and `/zipkin/api/v2/spans`), the Zipkin v2 JSON receiver (zipkin2-api.yaml): 202 Accepted once the spans
 * are stored. When some spans were rejected the 202 carries `{ rejectedSpans, errorMessage }`
 * (Zipkin senders ignore the body); errors are `{ error: { code, message } }`.
 */
const ZIPKIN_SPANS_PATH = '/api/v2/spans';
/** zipkin-server answers its API under this prefix too; Zipkin Lens's image proxies with it kept. */
export const ZIPKIN_SERVER_PREFIX = '/zipkin';

export async function zipkinHttpRoutes(app: FastifyInstance, options: IngestOptions): Promise<void> {
  app.post(ZIPKIN_SPANS_PATH, (request, reply) => receive(request, reply, options));
  app.post(`${ZIPKIN_SERVER_PREFIX}${ZIPKIN_SPANS_PATH}`, (request, reply) => receive(request, reply, options));
}

async function receive(request: FastifyRequest, reply: FastifyReply, options: IngestOptions): Promise<FastifyReply> {
  const counters = options.counters;
  // Held until the spans are committed: the body, what decoding built, and the queued spans.
  const cost = requestCost(options);
  const { lease, meter } = cost;
  const pace = new EventLoopPace();
  try {
    const media = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (media !== 'application/json') {
      throw new IngestError(
        'unsupported_media_type',
        `Content-Type "${request.headers['content-type'] ?? ''}" is not supported here: send Zipkin v2 JSON as application/json`,
      );
    }
    const root = await readJsonBody(request, options, cost, pace);
    const candidates = await collectPaced(zipkinSpans(root, meter), pace);
    const result = await storeCandidates(candidates, options, pace);
    counters.request('zipkin', 202);
    if (result.rejected.length === 0) return reply.code(202).send();
    const errorMessage = describeRejections(result.rejected, result.total);
    request.log.info({ rejected: result.rejected.length }, errorMessage);
    return reply.code(202).send({ rejectedSpans: result.rejected.length, errorMessage });
  } catch (e) {
    const err = asIngestError(e);
    counters.request('zipkin', err.status, err.code);
    if (err.status >= 500) request.log.error({ err, code: err.code }, 'Zipkin ingest failed');
    if (err.retryAfterSeconds !== undefined) reply.header('retry-after', String(err.retryAfterSeconds));
    if (bodyUnread(request)) reply.header('connection', 'close');
    return reply.code(err.status).send(errorBody(err.code, err.message));
  } finally {
    lease.release();
  }
}

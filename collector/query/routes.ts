import type { FastifyError, FastifyPluginAsync, FastifyRequest } from 'fastify';
import { AppError } from '../../shared/errors.js';
import type { SpanRecord } from '../../shared/span-record.js';
import { routeErrors } from '../errors/route-errors.js';
import { PARAMETER_HINTS, requestIdParams, searchQuery, serviceParams, traceIdParams } from './schemas.js';
import type { SearchQueryString } from './search-params.js';
import { parseSearch, SEARCH_PARAMETERS } from './search-params.js';
import type { TraceFormat } from './trace-formats.js';
import { toForeignFormat, traceFormatQuery } from './trace-formats.js';
import type { RequestJson, SearchJson, TraceJson } from './trace-json.js';
import { summaryToJson, traceToJson } from './trace-json.js';
import { setResolutionHeaders } from './trace-resolution.js';
import type { TraceService } from './trace-service.js';

/**
 * infertrace's own query API (JSON shapes in trace-json.ts, schemas in schemas.ts):
 *   GET /api/traces/{traceId}            one assembled trace (?format=otlp|jaeger|zipkin: the raw spans in that shape);
 *                                        an id that is no stored trace id opens the most recent trace of that
 *                                        ml.request.id (`openedByRequest` and the trace-resolution headers say so)
 *   GET /api/requests/{requestId}        the traces whose spans carry that ml.request.id
 *   GET /api/traces?service=&...         trace summaries, most recent first
 *   GET /api/services                    service names
 *   GET /api/services/{service}/operations
 * Errors are `{ "error": { "code", "message" } }` (codes in shared/error-codes.ts), sent by the
 * collector's error handler in the words declared here.
 */
export interface QueryDeps {
  traces: TraceService;
  /** At most this many traces in one `/api/requests/{id}` answer (default 20). */
  maxTracesPerRequest?: number;
}

export function queryRoutes(deps: QueryDeps): FastifyPluginAsync {
  const { traces } = deps;
  const reader = traces.reader;
  const maxTraces = deps.maxTracesPerRequest ?? 20;
  const toJson = (spans: readonly SpanRecord[]): TraceJson => traceToJson(traces.assemble(spans));

  return async (app) => {
    routeErrors(app, {
      validation: (err, req) => new AppError('invalid_parameter', validationMessage(err, req), { cause: err }),
      storeFailure: "the span store could not answer the query; the collector's log has the cause",
    });

    app.get<{ Params: { traceId: string }; Querystring: { format?: TraceFormat } }>(
      '/api/traces/:traceId',
      { schema: { params: traceIdParams, querystring: traceFormatQuery } },
      async (req, reply) => {
        const opened = await traces.open(req.params.traceId);
        if (opened === undefined) {
          throw new AppError(
            'trace_not_found',
            'no trace of that id is stored, and no stored span carries it as ml.request.id: it may not have reached the collector yet (spans are exported in batches), may have been sampled out, or removed by retention',
          );
        }
        if (opened.byRequest !== undefined) setResolutionHeaders(reply, opened.byRequest);
        const format = req.query.format ?? 'infertrace';
        if (format !== 'infertrace') return toForeignFormat(format, traces.merged(opened.spans));
        const trace = toJson(opened.spans);
        return opened.byRequest === undefined ? trace : { ...trace, openedByRequest: opened.byRequest };
      },
    );

    app.get<{ Params: { requestId: string } }>(
      '/api/requests/:requestId',
      { schema: { params: requestIdParams } },
      async (req): Promise<RequestJson> => {
        const { requestId } = req.params;
        const ids = await traces.traceIdsOfRequest(requestId);
        // retention may remove a trace between the two reads: load leaves it out
        const found = (await traces.load(ids.slice(0, maxTraces))).map(toJson);
        if (found.length === 0) {
          throw new AppError(
            'request_not_found',
            `no stored span carries ml.request.id "${requestId}": check the id (the x-request-id the sidecar echoed in its response); the trace may also not have arrived yet, or been removed by retention`,
          );
        }
        return { requestId, traces: found, totalTraces: ids.length };
      },
    );

    app.get<{ Querystring: SearchQueryString }>(
      '/api/traces',
      { schema: { querystring: searchQuery }, preValidation: rejectUnknownParameters(SEARCH_PARAMETERS) },
      async (req): Promise<SearchJson> => {
        const query = parseSearch(req.query);
        const found = await reader.findTraces(query);
        return { traces: found.map(summaryToJson), limit: query.limit };
      },
    );

    app.get('/api/services', async () => ({ services: await reader.getServices() }));

    app.get<{ Params: { service: string } }>(
      '/api/services/:service/operations',
      { schema: { params: serviceParams } },
      async (req) => ({ service: req.params.service, operations: await reader.getOperations(req.params.service) }),
    );
  };
}

/** A misspelt filter would silently widen a search; name it instead. */
function rejectUnknownParameters(known: readonly string[]) {
  return async (req: FastifyRequest): Promise<void> => {
    const unknown = Object.keys(req.query as object).filter((k) => !known.includes(k));
    if (unknown.length > 0) {
      throw new AppError(
        'unknown_parameter',
        `unknown query parameter "${unknown[0]}"; this endpoint takes ${known.join(', ')}`,
      );
    }
  };
}

/** `path parameter "traceId" must be …, got "xyz"`, from fastify's first validation error. */
function validationMessage(err: FastifyError, req: FastifyRequest): string {
  const first = err.validation?.[0];
  const where = err.validationContext === 'params' ? 'path' : 'query';
  const params = (first?.params ?? {}) as { missingProperty?: string };
  const name = first?.instancePath.replace(/^\//, '').split('/')[0] || params.missingProperty || '?';
  const source = (err.validationContext === 'params' ? req.params : req.query) as Record<string, unknown>;
  const value = source[name];
  const hint = err.validationContext === 'params' ? PARAMETER_HINTS[name] : undefined;
  const expected = hint !== undefined ? `must be ${hint}` : (first?.message ?? 'is invalid');
  const shown = value === undefined ? undefined : JSON.stringify(value);
  const got = shown === undefined ? '' : `, got ${shown.length > 80 ? `${shown.slice(0, 80)}…` : shown}`;
  return `${where} parameter "${name}" ${expected}${got}`;
}

import type { FastifyError, FastifyPluginAsync, FastifyRequest } from 'fastify';
import { AppError } from '../../shared/errors.js';
import { normaliseTraceId } from '../../shared/ids.js';
import { assembleTrace } from '../assembly/assemble-trace.js';
import type { SpanReader } from '../storage/span-store.js';
import { routeErrors } from '../errors/route-errors.js';
import { PARAMETER_HINTS, requestIdParams, searchQuery, serviceParams, traceIdParams } from './schemas.js';
import type { SearchQueryString } from './search-params.js';
import { parseSearch, SEARCH_PARAMETERS } from './search-params.js';
import type { TraceFormat } from './trace-formats.js';
import { toForeignFormat, traceFormatQuery } from './trace-formats.js';
import type { RequestJson, SearchJson, TraceJson } from './trace-json.js';
import { summaryToJson, traceToJson } from './trace-json.js';

/**
 * infertrace's own query API (JSON shapes in trace-json.ts, schemas in schemas.ts):
 *   GET /api/traces/{traceId}            one assembled trace (?format=otlp|jaeger|zipkin: the raw spans in that shape)
 *   GET /api/requests/{requestId}        the traces whose spans carry that ml.request.id
 *   GET /api/traces?service=&...         trace summaries, most recent first
 *   GET /api/services                    service names
 *   GET /api/services/{service}/operations
 * Errors are `{ "error": { "code", "message" } }` (codes in shared/error-codes.ts), sent by the
 * collector's error handler in the words declared here.
 */
export interface QueryDeps {
  reader: SpanReader;
  /** Largest clock-skew correction applied at read time, in ns (default 60 s; 0 disables). */
  maxClockSkewNano?: bigint;
  /** At most this many traces in one `/api/requests/{id}` answer (default 20). */
  maxTracesPerRequest?: number;
}

export function queryRoutes(deps: QueryDeps): FastifyPluginAsync {
  const { reader } = deps;
  const assembly = deps.maxClockSkewNano === undefined ? {} : { maxClockSkewNano: deps.maxClockSkewNano };
  const maxTraces = deps.maxTracesPerRequest ?? 20;

  const loadTrace = async (traceId: string): Promise<TraceJson | undefined> => {
    const spans = await reader.getTrace(traceId);
    return spans.length === 0 ? undefined : traceToJson(assembleTrace(traceId, spans, assembly));
  };

  return async (app) => {
    routeErrors(app, {
      validation: (err, req) => new AppError('invalid_parameter', validationMessage(err, req), { cause: err }),
      storeFailure: "the span store could not answer the query; the collector's log has the cause",
    });

    app.get<{ Params: { traceId: string }; Querystring: { format?: TraceFormat } }>(
      '/api/traces/:traceId',
      { schema: { params: traceIdParams, querystring: traceFormatQuery } },
      async (req) => {
      const traceId = normaliseTraceId(req.params.traceId);
      if (traceId === undefined) {
        throw new AppError('invalid_parameter', 'path parameter "traceId" must not be all zeros (that is the invalid trace id)');
      }
      const format = req.query.format ?? 'infertrace';
      const spans = format === 'infertrace' ? [] : await reader.getTrace(traceId);
      if (format !== 'infertrace' && spans.length > 0) return toForeignFormat(format, spans);
      const trace = format === 'infertrace' ? await loadTrace(traceId) : undefined;
      if (trace === undefined) {
        throw new AppError(
          'trace_not_found',
          `no trace ${traceId} is stored: it may not have reached the collector yet (spans are exported in batches), may have been sampled out, or removed by retention`,
        );
      }
      return trace;
      },
    );

    app.get<{ Params: { requestId: string } }>(
      '/api/requests/:requestId',
      { schema: { params: requestIdParams } },
      async (req): Promise<RequestJson> => {
        const { requestId } = req.params;
        const ids = await reader.findTraceIdsByRequestId(requestId);
        const traces: TraceJson[] = [];
        for (const id of ids.slice(0, maxTraces)) {
          const trace = await loadTrace(id);
          if (trace !== undefined) traces.push(trace); // retention may remove a trace between the two reads
        }
        if (traces.length === 0) {
          throw new AppError(
            'request_not_found',
            `no stored span carries ml.request.id "${requestId}": check the id (the x-request-id the sidecar echoed in its response); the trace may also not have arrived yet, or been removed by retention`,
          );
        }
        return { requestId, traces, totalTraces: ids.length };
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

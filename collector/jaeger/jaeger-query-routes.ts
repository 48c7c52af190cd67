import type { FastifyPluginAsync } from 'fastify';
import type { AppError } from '../../shared/errors.js';
import type { SpanRecord } from '../../shared/span-record.js';
import { nowNano as systemNowNano } from '../../shared/time.js';
import { jaegerEnvelope, jaegerSpanKind, toJaegerTrace } from './jaeger-mapping.js';
import type { JaegerDependencyLink, JaegerError, JaegerOperation, JaegerTrace } from './jaeger-types.js';
import { decodeJsonRequest } from '../otlp/decode-json.js';
import { badParameter, READ_FAILURE, traceOrRequestNotFound } from '../query/compat-errors.js';
import { routeErrors } from '../errors/route-errors.js';
import { dependencyLinks } from '../query/dependency-links.js';
import type { QueryValues } from './jaeger-search-params.js';
import { first, parseDependencyWindow, parseJaegerSearch } from './jaeger-search-params.js';
import { describeResolution, setResolutionHeaders } from '../query/trace-resolution.js';
import type { TraceService } from '../query/trace-service.js';

/**
 * Jaeger's query HTTP API (v1), as the Jaeger UI and Grafana's Jaeger data source call it. Register
 * it under a prefix (JAEGER_API_PREFIX) so it does not collide with infertrace's own /api routes;
 * point the Jaeger UI (QUERY_BASE_PATH) or Grafana at http://collector:16686/jaeger.
 */
export const JAEGER_API_PREFIX = '/jaeger';

export interface JaegerQueryDeps {
  /** Fetches traces and runs the read-time adjusters on every trace shown (as Jaeger's query service does). */
  traces: TraceService;
  /** Now in nanoseconds (tests pin it). */
  now?: () => bigint;
  /** At most this many traces are read to derive /api/dependencies (default 10 000). */
  dependencyTraceLimit?: number;
  /** Largest OTLP/JSON body /api/transform takes, in bytes (default 32 MiB). */
  transformBodyLimit?: number;
}

/** Spans grouped by trace id, in order of first appearance (the order of spans kept). */
function groupByTrace(spans: readonly SpanRecord[]): SpanRecord[][] {
  const traces = new Map<string, SpanRecord[]>();
  for (const s of spans) {
    const list = traces.get(s.traceId);
    if (list === undefined) traces.set(s.traceId, [s]);
    else list.push(s);
  }
  return [...traces.values()];
}

const MANY = { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] };
const searchSchema = {
  querystring: {
    type: 'object',
    properties: {
      service: { type: 'string' },
      operation: { type: 'string' },
      start: { type: 'string' },
      end: { type: 'string' },
      limit: { type: 'string' },
      minDuration: { type: 'string' },
      maxDuration: { type: 'string' },
      lookback: { type: 'string' },
      raw: { type: 'string' },
      tag: MANY,
      tags: MANY,
      traceID: MANY,
    },
  },
};
const traceSchema = {
  params: { type: 'object', properties: { traceId: { type: 'string' } }, required: ['traceId'] },
  querystring: { type: 'object', properties: { raw: { type: 'string' } } },
};
const serviceSchema = {
  params: { type: 'object', properties: { service: { type: 'string' } }, required: ['service'] },
};
const operationsSchema = {
  querystring: { type: 'object', properties: { service: { type: 'string' }, spanKind: { type: 'string' } } },
};
const dependenciesSchema = {
  querystring: { type: 'object', properties: { endTs: { type: 'string' }, lookback: { type: 'string' } } },
};

/** Jaeger's error envelope, plus infertrace's `{error: {code, message}}` beside it. */
function envelope(e: AppError): object {
  return { ...jaegerEnvelope(null, { errors: [{ code: e.status, msg: e.message }] }), ...e.toJSON() };
}

export function jaegerQueryRoutes(deps: JaegerQueryDeps): FastifyPluginAsync {
  const now = deps.now ?? systemNowNano;
  const dependencyTraceLimit = deps.dependencyTraceLimit ?? 10_000;
  const { traces: traceService } = deps;
  const reader = traceService.reader;
  const show = (spans: readonly SpanRecord[], raw: boolean, note?: string): JaegerTrace => {
    if (raw) return toJaegerTrace(spans, note === undefined ? null : [note]);
    const adjusted = traceService.adjust(spans);
    return toJaegerTrace(adjusted.spans, note === undefined ? adjusted.warnings : [note, ...adjusted.warnings]);
  };

  return async (app) => {
    routeErrors(app, { storeFailure: READ_FAILURE, envelope });
    // /api/transform takes OTLP/JSON files whatever type the browser labels them with.
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

    app.get('/api/services', async () => {
      const services = await reader.getServices();
      return jaegerEnvelope(services, { total: services.length });
    });

    app.get<{ Params: { service: string } }>(
      '/api/services/:service/operations',
      { schema: serviceSchema },
      async (request) => {
        const ops = await reader.getOperations(request.params.service);
        const names = [...new Set(ops.map((o) => o.name))].sort();
        return jaegerEnvelope(names, { total: names.length });
      },
    );

    app.get<{ Querystring: QueryValues }>('/api/operations', { schema: operationsSchema }, async (request) => {
      const service = first(request.query, 'service');
      if (service === undefined) throw badParameter(`parameter 'service' is required`);
      const spanKind = first(request.query, 'spanKind');
      const ops: JaegerOperation[] = (await reader.getOperations(service))
        .map((o) => ({ name: o.name, spanKind: jaegerSpanKind(o.kind) }))
        .filter((o) => spanKind === undefined || o.spanKind === spanKind);
      return jaegerEnvelope(ops, { total: ops.length });
    });

    app.get<{ Querystring: QueryValues }>('/api/traces', { schema: searchSchema }, async (request) => {
      const search = parseJaegerSearch(request.query, now());
      const raw = first(request.query, 'raw') === 'true';
      if (search.kind === 'query') {
        const traces = await traceService.find(search.query);
        return jaegerEnvelope(traces.map((t) => show(t, raw)));
      }
      const traces = await traceService.load(search.traceIds);
      const found = new Set(traces.map((t) => t[0]?.traceId));
      const errors: JaegerError[] = search.traceIds
        .filter((id) => !found.has(id))
        .map((id) => ({ code: 404, msg: 'trace not found', traceID: id }));
      return jaegerEnvelope(
        traces.map((t) => show(t, raw)),
        { errors: errors.length > 0 ? errors : null },
      );
    });

    // The id may be a request id too: the UI's "Lookup by Trace ID" then opens that request's trace.
    app.get<{ Params: { traceId: string }; Querystring: QueryValues }>(
      '/api/traces/:traceId',
      { schema: traceSchema },
      async (request, reply) => {
        const opened = await traceService.open(request.params.traceId);
        if (opened === undefined) throw traceOrRequestNotFound();
        const raw = first(request.query, 'raw') === 'true';
        if (opened.byRequest === undefined) return jaegerEnvelope([show(opened.spans, raw)]);
        setResolutionHeaders(reply, opened.byRequest);
        return jaegerEnvelope([show(opened.spans, raw, describeResolution(opened.byRequest))]);
      },
    );

    // The Jaeger UI's upload of an OTLP/JSON file: converted as sent (no adjusters, no storage).
    app.post('/api/transform', { bodyLimit: deps.transformBodyLimit ?? 32 * 1024 * 1024 }, async (request) => {
      const body = request.body;
      const raw = Buffer.isBuffer(body)
        ? body
        : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body ?? null));
      const candidates = decodeJsonRequest(raw);
      const errors: JaegerError[] = candidates
        .filter((c) => c.problem !== undefined)
        .map((c) => ({
          code: 400,
          msg: `span ${c.span.spanId || '(no id)'} left out: ${c.problem?.message ?? ''}`,
          traceID: c.span.traceId,
        }));
      const traces = groupByTrace(candidates.filter((c) => c.problem === undefined).map((c) => c.span));
      return jaegerEnvelope(
        traces.map((t) => toJaegerTrace(t)),
        { errors: errors.length > 0 ? errors : null },
      );
    });

    app.get<{ Querystring: QueryValues }>('/api/dependencies', { schema: dependenciesSchema }, async (request) => {
      const window = parseDependencyWindow(request.query, now());
      const traces = await traceService.find({ ...window, limit: dependencyTraceLimit });
      const links: JaegerDependencyLink[] = dependencyLinks(traces.map((t) => traceService.adjust(t).spans)).map(
        ({ parent, child, callCount }) => ({ parent, child, callCount }),
      );
      return jaegerEnvelope(links);
    });
  };
}

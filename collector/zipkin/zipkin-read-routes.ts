import type { FastifyPluginAsync } from 'fastify';
import { normaliseTraceId } from '../../shared/ids.js';
import type { SpanRecord } from '../../shared/span-record.js';
import { nowNano as systemNowNano } from '../../shared/time.js';
import { toZipkinSpans } from './zipkin-mapping.js';
import type { ZipkinDependencyLink, ZipkinSpan } from './zipkin-types.js';
import { badParameter, READ_FAILURE, traceOrRequestNotFound } from '../query/compat-errors.js';
import { routeErrors } from '../errors/route-errors.js';
import { dependencyLinks } from '../query/dependency-links.js';
import type { QueryValues } from '../jaeger/jaeger-search-params.js';
import { first } from '../jaeger/jaeger-search-params.js';
import { setResolutionHeaders } from '../query/trace-resolution.js';
import type { TraceService } from '../query/trace-service.js';
import { parseZipkinSearch, zipkinWindow } from './zipkin-search-params.js';
import { traceMatches } from './zipkin-trace-filter.js';

/**
 * Zipkin's v2 read API, as Zipkin Lens and Grafana's Zipkin data source call it. Its paths
 * (/api/v2/...) do not collide with infertrace's own, so it is registered without a prefix.
 */
export interface ZipkinReadDeps {
  traces: TraceService;
  /** Now in nanoseconds (tests pin it). */
  now?: () => bigint;
  /** Traces read when a query needs Zipkin-only matching (bare annotation words, remoteServiceName); default 1000. */
  scanLimit?: number;
  /** Traces read to derive /api/v2/dependencies; default 10 000. */
  dependencyTraceLimit?: number;
}

const stringQuery = (...names: string[]): object => ({
  querystring: { type: 'object', properties: Object.fromEntries(names.map((n) => [n, { type: 'string' }])) },
});
const stringList = { response: { 200: { type: 'array', items: { type: 'string' } } } };

function requireParam(values: QueryValues, name: string, what: string): string {
  const v = first(values, name);
  if (v === undefined) throw badParameter(`${name} is required: ${what}`);
  return v;
}

export function zipkinReadRoutes(deps: ZipkinReadDeps): FastifyPluginAsync {
  const { traces: traceService } = deps;
  const reader = traceService.reader;
  const now = deps.now ?? systemNowNano;
  const scanLimit = deps.scanLimit ?? 1000;
  const dependencyTraceLimit = deps.dependencyTraceLimit ?? 10_000;

  /** The stored spelling of a service name: Zipkin lower-cases names, infertrace keeps them as sent. */
  const resolveService = async (name: string): Promise<string> => {
    const services = await reader.getServices();
    if (services.includes(name)) return name;
    return services.find((s) => s.toLowerCase() === name.toLowerCase()) ?? name;
  };
  const asZipkin = (traces: SpanRecord[][]): ZipkinSpan[][] => traces.map((t) => toZipkinSpans(traceService.merged(t)));

  return async (app) => {
    routeErrors(app, { storeFailure: READ_FAILURE });

    app.get('/api/v2/services', { schema: stringList }, async () => reader.getServices());

    app.get<{ Querystring: QueryValues }>(
      '/api/v2/spans',
      { schema: { ...stringQuery('serviceName'), ...stringList } },
      async (request) => {
        const service = await resolveService(
          requireParam(request.query, 'serviceName', 'the service whose span names to list'),
        );
        return [...new Set((await reader.getOperations(service)).map((o) => o.name))].sort();
      },
    );

    app.get<{ Querystring: QueryValues }>(
      '/api/v2/remoteServices',
      { schema: { ...stringQuery('serviceName'), ...stringList } },
      async (request) => {
        const service = await resolveService(
          requireParam(request.query, 'serviceName', 'the service whose callees to list'),
        );
        const traces = await traceService.find({ service, limit: scanLimit });
        const names = new Set<string>();
        for (const spans of asZipkin(traces)) {
          for (const s of spans) {
            const remote = s.remoteEndpoint?.serviceName;
            if (s.localEndpoint?.serviceName === service && remote !== undefined) names.add(remote);
          }
        }
        return [...names].sort();
      },
    );

    app.get<{ Querystring: QueryValues }>(
      '/api/v2/traces',
      {
        schema: stringQuery(
          'serviceName',
          'remoteServiceName',
          'spanName',
          'annotationQuery',
          'minDuration',
          'maxDuration',
          'endTs',
          'lookback',
          'limit',
        ),
      },
      async (request) => {
        const search = parseZipkinSearch(request.query, now());
        if (search.query.service !== undefined) {
          search.query.service = await resolveService(search.query.service);
          search.filter.serviceName = search.query.service;
        }
        if (!search.needsFilter) return asZipkin(await traceService.find(search.query));
        const candidates = await traceService.find({ ...search.query, limit: Math.max(scanLimit, search.query.limit) });
        return asZipkin(candidates)
          .filter((t) => traceMatches(t, search.filter))
          .slice(0, search.query.limit);
      },
    );

    // The id may be a request id too (Lens's trace-id search box then opens that request's trace).
    app.get<{ Params: { traceId: string } }>(
      '/api/v2/trace/:traceId',
      {
        schema: { params: { type: 'object', properties: { traceId: { type: 'string' } }, required: ['traceId'] } },
      },
      async (request, reply) => {
        const opened = await traceService.open(request.params.traceId);
        if (opened === undefined) throw traceOrRequestNotFound();
        if (opened.byRequest !== undefined) setResolutionHeaders(reply, opened.byRequest);
        return toZipkinSpans(traceService.merged(opened.spans));
      },
    );

    app.get<{ Querystring: QueryValues }>('/api/v2/traceMany', { schema: stringQuery('traceIds') }, async (request) => {
      const text = requireParam(request.query, 'traceIds', 'a comma-separated list of at least two trace ids');
      const ids = text.split(',').map((id) => ({ id, norm: normaliseTraceId(id.trim()) }));
      const bad = ids.find((i) => i.norm === undefined);
      if (bad !== undefined) throw badParameter(`traceIds: "${bad.id}" is not a trace id (16 or 32 hex digits)`);
      const unique = [...new Set(ids.map((i) => i.norm as string))];
      if (unique.length < 2)
        throw badParameter('traceIds must name at least two different traces; use /api/v2/trace/{traceId} for one');
      return asZipkin(await traceService.load(unique));
    });

    app.get<{ Querystring: QueryValues }>(
      '/api/v2/dependencies',
      { schema: stringQuery('endTs', 'lookback') },
      async (request) => {
        const window = zipkinWindow(request.query, now(), true);
        const traces = await traceService.find({ ...window, limit: dependencyTraceLimit });
        return dependencyLinks(traces.map((t) => traceService.adjust(t).spans)).map(
          ({ parent, child, callCount, errorCount }): ZipkinDependencyLink =>
            errorCount > 0 ? { parent, child, callCount, errorCount } : { parent, child, callCount },
        );
      },
    );

    // Lens asks for site-specific autocomplete keys; infertrace configures none.
    app.get('/api/v2/autocompleteKeys', { schema: stringList }, async () => []);
    app.get('/api/v2/autocompleteValues', { schema: { ...stringQuery('key'), ...stringList } }, async () => []);
  };
}

import type { FastifyInstance } from 'fastify';
import { AppError } from '../../shared/errors.js';
import type { CollectorPlugin } from '../app.js';
import { queryValidationError } from '../errors/query-validation.js';
import { routeErrors } from '../errors/route-errors.js';
import { DRIFT_PARAMETERS, parseDriftQuery, type RawDriftQuery } from './drift-query.js';
import type { DriftService } from './drift-service.js';
import type { ReferenceStore } from './drift-store.js';
import type { DriftSettings } from './drift-settings.js';
import { REFERENCE_PARAMETERS, referenceRoutes } from './references/reference-routes.js';
import { driftSeries, parseSeriesQuery, SERIES_PARAMETERS, type RawSeriesQuery } from './drift-series.js';

/**
 * The drift API: `GET /api/drift` and the reference endpoints (reference-routes.ts). The service
 * comes from a getter because it is built once the database opens, after the routes are
 * registered; until then the collector's readiness gate answers for them.
 */
export interface DriftRuntime {
  service: DriftService;
  references: ReferenceStore;
}

export interface DriftRoutesOptions {
  runtime: () => DriftRuntime;
  settings: DriftSettings;
  /** Wall clock in ms; tests pin it. */
  clock?: () => number;
}

const stringParameters = (names: readonly string[]) => ({
  type: 'object',
  properties: Object.fromEntries(names.map((p) => [p, { type: 'string', maxLength: 1024 }])),
  additionalProperties: { not: {} },
});

async function driftRoutes(app: FastifyInstance, opts: DriftRoutesOptions): Promise<void> {
  const clock = opts.clock ?? Date.now;
  const known: Record<string, readonly string[]> = {
    '/api/drift': DRIFT_PARAMETERS,
    '/api/drift/series': SERIES_PARAMETERS,
    '/api/models/:model/reference': REFERENCE_PARAMETERS,
  };
  routeErrors(app, {
    validation: (err, request) => queryValidationError(err, known[request.routeOptions.url ?? ''] ?? []),
    bodyCode: 'invalid_reference',
    bodyLimitSetting: 'INFERTRACE_DRIFT_REFERENCE_MAX_BYTES',
    mediaTypes: 'text/csv (a header row of feature names) or application/json',
    storeFailure: "the drift data could not be read or written; the collector's log has the cause",
  });

  app.get<{ Querystring: RawDriftQuery }>(
    '/api/drift',
    { schema: { querystring: stringParameters(DRIFT_PARAMETERS) } },
    async (request) => {
      const parsed = parseDriftQuery(request.query, clock(), opts.settings.maxExemplars);
      if (!parsed.ok) throw new AppError('invalid_parameter', parsed.message);
      return opts.runtime().service.report(parsed.query);
    },
  );

  app.get<{ Querystring: RawSeriesQuery }>(
    '/api/drift/series',
    { schema: { querystring: stringParameters(SERIES_PARAMETERS) } },
    async (request) => {
      const parsed = parseSeriesQuery(request.query, clock());
      if (!parsed.ok) throw new AppError('invalid_parameter', parsed.message);
      return driftSeries(opts.runtime().service, parsed.query);
    },
  );

  await referenceRoutes(app, { ...opts, clock, querySchema: stringParameters(REFERENCE_PARAMETERS) });
}

/** The drift API as a collector plugin for buildApp's `plugins` list. */
export function driftRoutesPlugin(options: DriftRoutesOptions): CollectorPlugin {
  return {
    name: 'drift',
    register: async (app: FastifyInstance) => {
      await app.register(async (scope) => driftRoutes(scope, options));
    },
  };
}

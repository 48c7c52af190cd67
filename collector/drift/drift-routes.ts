import type { FastifyInstance } from 'fastify';
import { AppError } from '../../shared/errors.js';
import type { CollectorPlugin } from '../app.js';
import { DRIFT_ERRORS } from './drift-errors.js';
import { DRIFT_PARAMETERS, parseDriftQuery, type RawDriftQuery } from './drift-query.js';
import type { DriftService } from './drift-service.js';
import type { ReferenceStore } from './drift-store.js';
import type { DriftSettings } from './drift-settings.js';
import { REFERENCE_PARAMETERS, referenceRoutes } from './references/reference-routes.js';
import { driftErrorHandler } from './route-errors.js';
import { driftSeries, parseSeriesQuery, SERIES_PARAMETERS, type RawSeriesQuery } from './drift-series.js';

/**
 * The drift API: `GET /api/drift` and the reference endpoints (reference-routes.ts). The service
 * comes from a getter because the database may still be opening when the app starts (the
 * collector retries); until then the routes answer 503 drift_unavailable.
 */
export interface DriftRuntime {
  service: DriftService;
  references: ReferenceStore;
}

export interface DriftRoutesOptions {
  runtime: () => DriftRuntime | undefined;
  settings: DriftSettings;
  /** Wall clock in ms; tests pin it. */
  clock?: () => number;
}

const stringParameters = (names: readonly string[]) => ({
  type: 'object',
  properties: Object.fromEntries(names.map((p) => [p, { type: 'string', maxLength: 1024 }])),
  additionalProperties: { not: {} },
});

export function requireRuntime(runtime: () => DriftRuntime | undefined): DriftRuntime {
  const r = runtime();
  if (r === undefined) {
    throw new AppError(DRIFT_ERRORS.unavailable, 'drift is not available yet: the span database is not open (see /healthz and the collector log); retry shortly');
  }
  return r;
}

export async function driftRoutes(app: FastifyInstance, opts: DriftRoutesOptions): Promise<void> {
  const clock = opts.clock ?? Date.now;
  app.setErrorHandler(driftErrorHandler(
    { '/api/drift': DRIFT_PARAMETERS, '/api/drift/series': SERIES_PARAMETERS, '/api/models/:model/reference': REFERENCE_PARAMETERS },
    opts.settings.referenceMaxBytes,
  ));

  app.get<{ Querystring: RawDriftQuery }>('/api/drift', { schema: { querystring: stringParameters(DRIFT_PARAMETERS) } }, async (request) => {
    const parsed = parseDriftQuery(request.query, clock(), opts.settings.maxExemplars);
    if (!parsed.ok) throw new AppError(DRIFT_ERRORS.invalidQuery, parsed.message);
    return requireRuntime(opts.runtime).service.report(parsed.query);
  });

  app.get<{ Querystring: RawSeriesQuery }>('/api/drift/series', { schema: { querystring: stringParameters(SERIES_PARAMETERS) } }, async (request) => {
    const parsed = parseSeriesQuery(request.query, clock());
    if (!parsed.ok) throw new AppError(DRIFT_ERRORS.invalidQuery, parsed.message);
    return driftSeries(requireRuntime(opts.runtime).service, parsed.query);
  });

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

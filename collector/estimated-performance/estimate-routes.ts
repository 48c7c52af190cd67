import type { FastifyInstance } from 'fastify';
import { AppError } from '../../shared/errors.js';
import type { CollectorPlugin } from '../app.js';
import { queryValidationError } from '../errors/query-validation.js';
import { routeErrors } from '../errors/route-errors.js';
import { parseRelationshipQuery } from '../relationships/relationship-query.js';
import type { EstimateService } from './estimate-service.js';

/**
 * `GET /api/models/{model}/estimated-performance?version=&window=|start=&end=&step=&reference=&output=`:
 * the estimated accuracy (CBPE) per window or step, beside the realised accuracy and the concept
 * drift flag; calibration against `reference` (previous — the default — or window:<start>/<end>).
 * Errors: invalid_parameter, unknown_parameter, no_observations. The service is built once the
 * database opens (the collector's readiness gate answers until then).
 */
const ESTIMATE_PARAMETERS = ['version', 'window', 'start', 'end', 'step', 'reference', 'output'] as const;
type RawQuery = Partial<Record<(typeof ESTIMATE_PARAMETERS)[number], string>>;

export function estimatedPerformancePlugin(opts: {
  service: () => EstimateService;
  clock?: () => number;
}): CollectorPlugin {
  const clock = opts.clock ?? Date.now;
  const path = '/api/models/:model/estimated-performance';
  return {
    name: 'estimated-performance',
    register: async (app: FastifyInstance) => {
      await app.register(async (scope) => {
        routeErrors(scope, {
          validation: (err) => queryValidationError(err, ESTIMATE_PARAMETERS),
          storeFailure: "the spans or feedback could not be read; the collector's log has the cause",
        });
        const querystring = {
          type: 'object',
          properties: Object.fromEntries(ESTIMATE_PARAMETERS.map((p) => [p, { type: 'string', maxLength: 1024 }])),
          additionalProperties: { not: {} },
        };
        scope.get<{ Params: { model: string }; Querystring: RawQuery }>(
          path,
          { schema: { querystring } },
          async (request) => {
            const { output, ...rest } = request.query;
            const parsed = parseRelationshipQuery({ ...rest, model: request.params.model }, clock(), 0);
            if (!parsed.ok) throw new AppError('invalid_parameter', parsed.message);
            const q = parsed.query;
            const ref = q.reference;
            if (ref.kind !== 'default' && ref.kind !== 'previous' && ref.kind !== 'window') {
              throw new AppError(
                'invalid_parameter',
                `reference must be previous or window:<start>/<end> for the estimated performance, got "${rest.reference}"`,
              );
            }
            const service = opts.service();
            const previous = { startMs: 2 * q.range.startMs - q.range.endMs, endMs: q.range.startMs };
            return service.estimate({
              model: q.model,
              ...(q.version === undefined ? {} : { version: q.version }),
              range: q.range,
              reference: ref.kind === 'window' ? ref.range : previous,
              ...(q.stepMs === undefined ? {} : { stepMs: q.stepMs }),
              ...(output === undefined || output === '' ? {} : { output: output.replace(/^(ml\.)?output\./, '') }),
            });
          },
        );
      });
    },
  };
}

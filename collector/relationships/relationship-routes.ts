import type { FastifyInstance } from 'fastify';
import { AppError } from '../../shared/errors.js';
import type { CollectorPlugin } from '../app.js';
import { queryValidationError } from '../errors/query-validation.js';
import { routeErrors } from '../errors/route-errors.js';
import { parseRelationshipQuery, RELATIONSHIP_PARAMETERS, type RawRelationshipQuery } from './relationship-query.js';
import type { RelationshipService } from './relationship-service.js';

/**
 * `GET /api/relationships`: per (input, output) pair, the current and reference value, the change,
 * the test and its flag, exemplar requests, and with `step=` the value per step. The service comes
 * from a getter: it is built once the database opens (the collector's readiness gate answers until
 * then). Errors: invalid_parameter, unknown_parameter, reference_not_found, no_observations.
 */
export interface RelationshipRoutesOptions {
  service: () => RelationshipService;
  maxExemplars: number;
  clock?: () => number;
}

export function relationshipRoutesPlugin(opts: RelationshipRoutesOptions): CollectorPlugin {
  const clock = opts.clock ?? Date.now;
  return {
    name: 'relationships',
    register: async (app: FastifyInstance) => {
      await app.register(async (scope) => {
        routeErrors(scope, {
          validation: (err) => queryValidationError(err, RELATIONSHIP_PARAMETERS),
          storeFailure: "the relationship summaries could not be read; the collector's log has the cause",
        });
        const querystring = {
          type: 'object',
          properties: Object.fromEntries(RELATIONSHIP_PARAMETERS.map((p) => [p, { type: 'string', maxLength: 1024 }])),
          additionalProperties: { not: {} },
        };
        scope.get<{ Querystring: RawRelationshipQuery }>(
          '/api/relationships',
          { schema: { querystring } },
          async (request) => {
            const parsed = parseRelationshipQuery(request.query, clock(), opts.maxExemplars);
            if (!parsed.ok) throw new AppError('invalid_parameter', parsed.message);
            return opts.service().report(parsed.query);
          },
        );
      });
    },
  };
}

import type { FastifyInstance } from 'fastify';
import { AppError } from '../../shared/errors.js';
import type { CollectorPlugin } from '../app.js';
import { DRIFT_ERRORS } from '../drift/drift-errors.js';
import { driftErrorHandler } from '../drift/route-errors.js';
import { parseRelationshipQuery, RELATIONSHIP_PARAMETERS, type RawRelationshipQuery } from './relationship-query.js';
import type { RelationshipService } from './relationship-service.js';

/**
 * `GET /api/relationships`: per (input, output) pair, the current and reference value, the change,
 * the test and its flag, exemplar requests, and with `step=` the value per step. Errors are drift's
 * (same codes: invalid_query, reference_not_found, no_observations, drift_unavailable).
 */
export interface RelationshipRoutesOptions {
  service: () => RelationshipService | undefined;
  maxExemplars: number;
  clock?: () => number;
}

export function relationshipRoutesPlugin(opts: RelationshipRoutesOptions): CollectorPlugin {
  const clock = opts.clock ?? Date.now;
  return {
    name: 'relationships',
    register: async (app: FastifyInstance) => {
      await app.register(async (scope) => {
        scope.setErrorHandler(driftErrorHandler({ '/api/relationships': RELATIONSHIP_PARAMETERS }, 0));
        const querystring = {
          type: 'object',
          properties: Object.fromEntries(RELATIONSHIP_PARAMETERS.map((p) => [p, { type: 'string', maxLength: 1024 }])),
          additionalProperties: { not: {} },
        };
        scope.get<{ Querystring: RawRelationshipQuery }>('/api/relationships', { schema: { querystring } }, async (request) => {
          const parsed = parseRelationshipQuery(request.query, clock(), opts.maxExemplars);
          if (!parsed.ok) throw new AppError(DRIFT_ERRORS.invalidQuery, parsed.message);
          const service = opts.service();
          if (service === undefined) {
            throw new AppError(DRIFT_ERRORS.unavailable, 'relationships are not available yet: the span database is not open (see /healthz and the collector log); retry shortly');
          }
          return service.report(parsed.query);
        });
      });
    },
  };
}

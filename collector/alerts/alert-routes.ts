import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { AppError } from '../../shared/errors.js';
import { queryValidationError } from '../errors/query-validation.js';
import type { CollectorPlugin } from '../app.js';
import type { AlertEngine, RuleStatus } from './alert-engine.js';
import type { AlertState } from './alert.js';
import { alertJson } from './notification-bodies.js';
import { ruleToJson } from './parse-rule.js';

/**
 * The alerts API:
 * - `GET /api/alerts?state=&rule=&limit=`: active alerts (pending, firing) first, then recently
 *   resolved ones, each with its cause and the delivery state of its notifications;
 * - `GET /api/alerts/rules`: every rule (file and API) with its last evaluation;
 * - `POST /api/alerts/rules`: add a rule (the rules file's shape; answers 201 with the rule);
 * - `DELETE /api/alerts/rules/{id}`: delete a rule added through the API (its alert resolves).
 */
export interface AlertRoutesOptions {
  /** The engine, built once the database opens (after the routes are registered). */
  engine: () => AlertEngine;
  /** Default: the engine's. */
  externalUrl?: string;
}

const STATES = ['pending', 'firing', 'resolved'] as const;
const alertsQuery = {
  type: 'object',
  properties: {
    state: { type: 'string', enum: STATES },
    rule: { type: 'string', maxLength: 128 },
    limit: { type: 'integer', minimum: 1, maximum: 1000 },
  },
  additionalProperties: { not: {} },
} as const;

const QUERY_HINTS = { state: `one of ${STATES.join(', ')}`, limit: 'a whole number from 1 to 1000' };

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function ruleOut(s: RuleStatus): Record<string, unknown> {
  return {
    ...ruleToJson(s.rule),
    status: {
      health: s.health,
      lastEvaluatedAt: iso(s.lastEvaluatedMs),
      lastValue: s.lastValue,
      lastError: s.lastError,
    },
  };
}

const alertRoutes: FastifyPluginAsync<AlertRoutesOptions> = async (app, opts) => {
  const { engine } = opts;
  const externalUrl = (): string | undefined => opts.externalUrl ?? engine().externalUrl;

  app.get<{ Querystring: { state?: AlertState; rule?: string; limit?: number } }>(
    '/api/alerts',
    { schema: { querystring: alertsQuery }, attachValidation: true },
    async (request) => {
      if (request.validationError) {
        throw queryValidationError(request.validationError, Object.keys(alertsQuery.properties), QUERY_HINTS);
      }
      const { state, rule, limit = 100 } = request.query;
      const alerts = engine().alerts({
        limit,
        ...(state === undefined ? {} : { state }),
        ...(rule === undefined ? {} : { ruleId: rule }),
      });
      return {
        alerts: alerts.map((a) => ({
          ...alertJson(a, externalUrl()),
          notifications: engine()
            .store.notificationsOf(a.id)
            .map((n) => ({
              receiver: n.receiver,
              event: n.event,
              status: n.status,
              attempts: n.attempts,
              createdAt: iso(n.createdMs),
              doneAt: iso(n.doneMs),
              lastError: n.lastError,
            })),
        })),
      };
    },
  );

  app.get('/api/alerts/rules', async () => ({ rules: engine().rules().map(ruleOut), metrics: engine().metrics() }));

  app.post(
    '/api/alerts/rules',
    { schema: { body: { type: 'object' } }, attachValidation: true },
    async (request, reply) => {
      if (request.validationError) {
        throw new AppError('invalid_rule', 'the body must be one rule: a JSON object');
      }
      const rule = engine().addRule(request.body);
      return reply.code(201).send({ rule: ruleToJson(rule) });
    },
  );

  app.delete<{ Params: { id: string } }>('/api/alerts/rules/:id', async (request, reply) => {
    engine().deleteRule(request.params.id);
    return reply.code(204).send();
  });
};

/** The routes as a collector plugin for buildApp's `plugins` list. */
export function alertPlugin(options: AlertRoutesOptions): CollectorPlugin {
  return {
    name: 'alerts',
    register: async (app: FastifyInstance) => {
      await app.register(alertRoutes, options);
    },
  };
}

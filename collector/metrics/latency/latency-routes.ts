import type { FastifyPluginAsync } from 'fastify';
import { AppError } from '../../../shared/errors.js';
import { queryValidationError } from '../../errors/query-validation.js';
import { summarise, type LatencyBucket } from './latency-bucket.js';
import type { LatencyMetrics } from './latency-metrics.js';
import { parseLatencyQuery, type RawLatencyQuery } from './latency-query.js';

export interface LatencyRoutesOptions {
  metrics: LatencyMetrics;
  /** Wall clock in ms, for the default end of the range; tests pin it. */
  clock?: () => number;
}

const PARAMETERS = ['service', 'operation', 'model', 'version', 'start', 'end', 'step'] as const;

// Every known parameter is one string; anything else is refused (rather than silently ignored,
// which would turn a typo such as `servce=` into an unfiltered answer).
const querySchema = {
  type: 'object',
  properties: Object.fromEntries(PARAMETERS.map((p) => [p, { type: 'string', maxLength: 1024 }])),
  additionalProperties: { not: {} },
} as const;

function point(b: LatencyBucket): Record<string, unknown> {
  return { start: b.startMs, ...summarise(b) };
}

/**
 * `GET /api/metrics/latency?service=&operation=&model=&version=&start=&end=&step=`: per series,
 * per step, request and error counts, error rate and p50/p90/p95/p99 in milliseconds, with the
 * sketch's relative-error bound stated in the answer.
 */
export const latencyRoutes: FastifyPluginAsync<LatencyRoutesOptions> = async (app, opts) => {
  const { metrics } = opts;
  const clock = opts.clock ?? Date.now;
  const { bucketWidthMs, relativeAccuracy } = metrics.options;

  app.get<{ Querystring: RawLatencyQuery }>(
    '/api/metrics/latency',
    { schema: { querystring: querySchema }, attachValidation: true },
    async (request) => {
      if (request.validationError) throw queryValidationError(request.validationError, PARAMETERS);
      const now = clock();
      const parsed = parseLatencyQuery(request.query, now, bucketWidthMs);
      if (!parsed.ok) throw new AppError('invalid_parameter', parsed.message);
      const { filter, range } = parsed.query;
      const series = metrics.query(filter, range).map(({ key, rolled }) => ({
        ...key,
        total: summarise(rolled.total),
        points: rolled.steps.map(point),
      }));
      return {
        start: range.startMs,
        end: range.endMs,
        step: range.stepMs,
        bucketWidthMs,
        retainedFrom: metrics.retainedFromMs(now),
        quantiles: {
          sketch: 'DDSketch',
          relativeAccuracy,
          note:
            `p50/p90/p95/p99 are in milliseconds; each is within ±${relativeAccuracy * 100}% of the duration ` +
            'of a real request at that rank (rank q·(n−1) of the n requests in the step)',
        },
        series,
      };
    },
  );
};

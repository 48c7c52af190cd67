import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { AppError } from '../../shared/errors.js';
import { queryValidationError } from '../errors/query-validation.js';
import type { CollectorPlugin } from '../app.js';
import type { FeedbackService } from './feedback-service.js';
import { MAX_FEEDBACK_ITEMS, parseFeedback } from './parse-feedback.js';
import { parsePerformanceQuery, type RawPerformanceQuery } from './performance-query.js';
import { performanceReport } from './performance-report.js';

/**
 * `POST /api/feedback` (ground truth in) and `GET /api/models/{model}/performance` (accuracy,
 * MAE/RMSE and label drift over time). Errors are `{ error: { code, message } }`.
 */
export interface FeedbackRoutesOptions {
  /** The service, built once the database opens (after the routes are registered). */
  service: () => FeedbackService;
  /** Wall clock in ms; tests pin it. */
  clock?: () => number;
}

interface ValidationFailure {
  validation?: { instancePath: string; keyword: string; message?: string }[];
}

// The schema fixes the shape (fields, required ones); the values' kinds are checked by
// parse-feedback.ts, because fastify's type coercion would quietly turn a label 1.5 into "1.5".
const ITEM_PROPERTIES = { request_id: {}, label: {}, value: {}, timestamp: {}, row: {} } as const;
const FIELDS = Object.keys(ITEM_PROPERTIES);
const itemSchema = {
  type: 'object',
  required: ['request_id'],
  properties: ITEM_PROPERTIES,
  additionalProperties: { not: {} },
} as const;
// One item, or an array of items.
const bodySchema = {
  if: { type: 'array' },
  then: { type: 'array', items: itemSchema, minItems: 1, maxItems: MAX_FEEDBACK_ITEMS },
  else: itemSchema,
} as const;

const QUERY_PARAMETERS = ['version', 'window', 'step', 'start', 'end', 'slice'] as const;
const querySchema = {
  type: 'object',
  properties: Object.fromEntries(QUERY_PARAMETERS.map((p) => [p, { type: 'string', maxLength: 1024 }])),
  additionalProperties: { not: {} },
} as const;

function bodyMessage(error: ValidationFailure): string {
  const first = error.validation?.[0];
  const path = first?.instancePath ?? '';
  const where = path === '' ? 'the body' : `body${path.replace(/\/(\d+)/g, '[$1]').replace(/\//g, '.')}`;
  switch (first?.keyword) {
    case 'not':
      return `${where} is not a known field; an item has ${FIELDS.join(', ')}`;
    case 'required':
      return `${where} has no request_id: each item is {"request_id": "...", "label": ... | "value": ..., "timestamp"?: ..., "row"?: ...}`;
    case 'maxItems':
      return `the body has more than ${MAX_FEEDBACK_ITEMS} items; split it into several requests`;
    case 'minItems':
      return 'the body is an empty array: send at least one item';
    default:
      return `${where} ${first?.message ?? 'is invalid'}; the body is one item or an array of items`;
  }
}

const feedbackRoutes: FastifyPluginAsync<FeedbackRoutesOptions> = async (app, opts) => {
  const { service } = opts;
  const clock = opts.clock ?? Date.now;

  app.post('/api/feedback', { schema: { body: bodySchema }, attachValidation: true }, async (request) => {
    if (request.validationError) throw new AppError('invalid_feedback', bodyMessage(request.validationError));
    const parsed = parseFeedback(request.body, clock());
    if (!parsed.ok) throw new AppError('invalid_feedback', parsed.problems.join('; '));
    try {
      return await service().submit(parsed.items);
    } catch (error) {
      throw new AppError(
        'storage_failed',
        "the feedback could not be stored; nothing was lost on your side: retry, and see the collector's log",
        { cause: error },
      );
    }
  });

  app.get<{ Params: { model: string }; Querystring: RawPerformanceQuery }>(
    '/api/models/:model/performance',
    { schema: { querystring: querySchema }, attachValidation: true },
    async (request) => {
      if (request.validationError) throw queryValidationError(request.validationError, QUERY_PARAMETERS);
      const parsed = parsePerformanceQuery(request.query, clock());
      if (!parsed.ok) throw new AppError('invalid_parameter', parsed.message);
      const { range, version, slice } = parsed.query;
      const model = request.params.model;
      const records = service().store.scan({
        model,
        fromMs: range.startMs,
        toMs: range.endMs,
        ...(version === undefined ? {} : { version }),
      });
      const series = performanceReport(records, range, slice);
      return { model, start: range.startMs, end: range.endMs, step: range.stepMs, slice: slice ?? null, series };
    },
  );
};

/** The routes as a collector plugin for buildApp's `plugins` list. */
export function feedbackPlugin(options: FeedbackRoutesOptions): CollectorPlugin {
  return {
    name: 'feedback',
    register: async (app: FastifyInstance) => {
      await app.register(feedbackRoutes, options);
    },
  };
}

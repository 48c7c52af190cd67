import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../shared/errors.js';
import type { CollectorPlugin } from '../app.js';
import { queryValidationError } from '../errors/query-validation.js';
import { routeErrors } from '../errors/route-errors.js';
import {
  DATASET_PARAMETERS,
  datasetPath,
  datasetQueryParameters,
  parseDatasetQuery,
  type DatasetQuery,
  type RawDatasetQuery,
} from './dataset-query.js';
import type { DatasetService } from './dataset-service.js';

/**
 * `GET /api/datasets/{model}`: the dataset as a file, streamed (headers: the expected row count
 * when a first pass counted it, the query with its range pinned, the manifest's path); `GET /api/datasets/{model}/manifest`: the
 * manifest of the same query. The service comes from a getter: it needs the open database.
 */
export interface DatasetRoutesOptions {
  service: () => DatasetService;
  /** Wall clock in ms; tests pin it. */
  clock?: () => number;
}

const querystring = {
  type: 'object',
  properties: Object.fromEntries(
    DATASET_PARAMETERS.map((p) => [
      p,
      p === 'slice'
        ? {
            anyOf: [
              { type: 'string', maxLength: 1024 },
              { type: 'array', maxItems: 32, items: { type: 'string', maxLength: 1024 } },
            ],
          }
        : { type: 'string', maxLength: 1024 },
    ]),
  ),
  additionalProperties: { not: {} },
};

interface DatasetRequest {
  Params: { model: string };
  Querystring: RawDatasetQuery;
}

async function datasetRoutes(app: FastifyInstance, opts: DatasetRoutesOptions): Promise<void> {
  const clock = opts.clock ?? Date.now;
  routeErrors(app, {
    validation: (err) => queryValidationError(err, DATASET_PARAMETERS),
    storeFailure: "the dataset could not be read; the collector's log has the cause",
  });
  const parse = (model: string, raw: RawDatasetQuery): DatasetQuery => {
    const parsed = parseDatasetQuery(model, raw, clock());
    if (!parsed.ok) throw new AppError('invalid_parameter', parsed.message);
    return parsed.query;
  };

  app.get<DatasetRequest>('/api/datasets/:model', { schema: { querystring } }, async (request, reply) => {
    const query = parse(request.params.model, request.query);
    const dataset = await opts.service().export(query);
    const pinned = datasetQueryParameters(dataset.plan.query);
    const file = `${query.model.replace(/[^A-Za-z0-9._-]/g, '_')}.${dataset.extension}`;
    if (dataset.plan.expectedRows !== undefined)
      reply.header('x-dataset-rows-expected', String(dataset.plan.expectedRows));
    reply
      .header('content-type', dataset.contentType)
      .header('content-disposition', `attachment; filename="${file}"`)
      .header('x-dataset-query', new URLSearchParams(pinned).toString())
      .header('link', `<${datasetPath(query.model, pinned, true)}>; rel="describedby"`);
    // One chunk in flight: the next page is read only once the client has taken the last one.
    return reply.send(Readable.from(dataset.chunks(), { highWaterMark: 1 }));
  });

  app.get<DatasetRequest>('/api/datasets/:model/manifest', { schema: { querystring } }, async (request) =>
    opts.service().manifest(parse(request.params.model, request.query)),
  );
}

/** The dataset API as a collector plugin for buildApp's `plugins` list. */
export function datasetPlugin(options: DatasetRoutesOptions): CollectorPlugin {
  return {
    name: 'datasets',
    register: async (app: FastifyInstance) => {
      await app.register(async (scope) => datasetRoutes(scope, options));
    },
  };
}

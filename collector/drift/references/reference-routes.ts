import type { FastifyInstance } from 'fastify';
import { AppError } from '../../../shared/errors.js';
import type { DriftRoutesOptions } from '../drift-routes.js';
import type { StoredReference } from '../drift-store.js';
import { describeReference, trainingReference } from './reference-profile.js';
import { columnsFromCsv, columnsFromJson, type UploadResult } from './reference-upload.js';
import { instantHint, parseInstantMs } from '../../../shared/units.js';

/**
 * A model's reference:
 *   POST   /api/models/{model}/reference[?version=&categorical=a,b&keep=true]  upload a training
 *          profile (text/csv, or application/json rows / {"features": {...}}), or pin a window with
 *          application/json {"window": {"start": …, "end": …}}; replaces the stored one → 201;
 *          `keep=true`: retention never deletes it
 *   PATCH  /api/models/{model}/reference[?version=]  {"keep": true|false} → 200 / 404
 *   GET    /api/models/{model}/reference[?version=]  the reference that applies to that version
 *          (its own, else the model-wide one), with every stored reference of the model → 200 / 404
 *   DELETE /api/models/{model}/reference[?version=]  removes exactly that one → 204 / 404
 */
export const REFERENCE_PARAMETERS = ['version', 'categorical', 'keep'] as const;
const CSV_TYPES = ['text/csv', 'application/csv', 'text/plain'];
const TIME_HINT = instantHint();

interface Query {
  version?: string;
  categorical?: string;
  keep?: string;
}

/** `keep=true|false` of an upload (absent: false). */
function keepOf(text: string | undefined): boolean {
  if (text === undefined || text === 'false') return false;
  if (text === 'true') return true;
  throw new AppError('invalid_reference', `keep must be true or false, got "${text}"`);
}

type Options = DriftRoutesOptions & { clock: () => number; querySchema: object };

function pinnedWindow(body: unknown): { startMs: number; endMs: number } | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !('window' in body)) return undefined;
  const w = (body as { window: unknown }).window;
  const text = (v: unknown): number | undefined =>
    typeof v === 'number' ? v : typeof v === 'string' ? parseInstantMs(v) : undefined;
  const start = typeof w === 'object' && w !== null ? text((w as { start?: unknown }).start) : undefined;
  const end = typeof w === 'object' && w !== null ? text((w as { end?: unknown }).end) : undefined;
  if (start === undefined || end === undefined || !Number.isInteger(start) || !Number.isInteger(end)) {
    throw new AppError(
      'invalid_reference',
      `a pinned window is {"window": {"start": …, "end": …}} with each ${TIME_HINT}`,
    );
  }
  if (start >= end)
    throw new AppError('invalid_reference', `the window's start (${start}) must be before its end (${end})`);
  return { startMs: start, endMs: end };
}

export async function referenceRoutes(app: FastifyInstance, opts: Options): Promise<void> {
  const { settings, clock } = opts;
  const path = '/api/models/:model/reference';
  app.addContentTypeParser(CSV_TYPES, { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.post<{ Params: { model: string }; Querystring: Query; Body: unknown }>(
    path,
    { bodyLimit: settings.referenceMaxBytes, schema: { querystring: opts.querySchema } },
    async (request, reply) => {
      const { references } = opts.runtime();
      const model = request.params.model;
      const version = request.query.version ?? '';
      const keep = keepOf(request.query.keep);
      const replaced = references.get(model, version) !== undefined;
      const isCsv = CSV_TYPES.some((t) => (request.headers['content-type'] ?? '').toLowerCase().startsWith(t));
      const window = isCsv ? undefined : pinnedWindow(request.body);
      let stored: StoredReference;
      if (window !== undefined) {
        stored = { kind: 'window', model, version, createdMs: clock(), ...window, keep };
      } else {
        const limits = {
          maxFeatures: settings.maxFeatures,
          categorical: new Set(
            (request.query.categorical ?? '')
              .split(',')
              .map((s) => s.trim())
              .filter((s) => s !== ''),
          ),
        };
        const parsed: UploadResult = isCsv
          ? columnsFromCsv(String(request.body), limits)
          : columnsFromJson(request.body, limits);
        if (!parsed.ok) throw new AppError('invalid_reference', parsed.message);
        stored = {
          ...trainingReference(model, version, isCsv ? 'csv' : 'json', parsed.upload, settings, clock()),
          keep,
        };
      }
      references.put(stored);
      return reply.code(201).send({ ...describeReference(stored), replaced });
    },
  );

  app.get<{ Params: { model: string }; Querystring: Query }>(
    path,
    { schema: { querystring: opts.querySchema } },
    async (request) => {
      const { references } = opts.runtime();
      const { model } = request.params;
      const version = request.query.version;
      const applied = (version === undefined ? undefined : references.get(model, version)) ?? references.get(model, '');
      if (applied === undefined) {
        throw new AppError(
          'reference_not_found',
          `model "${model}"${version === undefined ? '' : ` version "${version}"`} has no stored reference, so drift compares each window ` +
            'with the previous one; upload a training profile or pin a window with POST on this path',
        );
      }
      return { ...describeReference(applied), all: references.list(model).map(describeReference) };
    },
  );

  app.patch<{ Params: { model: string }; Querystring: Query; Body: unknown }>(
    path,
    { schema: { querystring: opts.querySchema } },
    async (request) => {
      const { references } = opts.runtime();
      const { model } = request.params;
      const version = request.query.version ?? '';
      const body = request.body;
      const keep = typeof body === 'object' && body !== null ? (body as { keep?: unknown }).keep : undefined;
      if (typeof keep !== 'boolean')
        throw new AppError('invalid_reference', 'the body must be {"keep": true} or {"keep": false}');
      if (!references.setKeep(model, version, keep)) {
        throw new AppError(
          'reference_not_found',
          `model "${model}" has no ${version === '' ? 'model-wide' : `version "${version}"`} reference to mark (GET this path lists the stored ones)`,
        );
      }
      const stored = references.get(model, version);
      return stored === undefined ? { keep } : describeReference(stored);
    },
  );

  app.delete<{ Params: { model: string }; Querystring: Query }>(
    path,
    { schema: { querystring: opts.querySchema } },
    async (request, reply) => {
      const { references } = opts.runtime();
      const { model } = request.params;
      const version = request.query.version ?? '';
      if (!references.delete(model, version)) {
        throw new AppError(
          'reference_not_found',
          `model "${model}" has no ${version === '' ? 'model-wide' : `version "${version}"`} reference to delete (GET this path lists the stored ones)`,
        );
      }
      return reply.code(204).send();
    },
  );
}

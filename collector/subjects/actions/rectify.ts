import { AppError } from '../../../shared/errors.js';
import type { CorrectedValue, Correction } from '../rectification.js';
import { rectify } from '../rectification.js';
import type { SubjectRoute } from '../subject-route.js';
import { bodyObject, subjectText } from '../subject-route.js';
import { audited, controlsOf } from './audited.js';

/**
 * Rectification (Art. 16): `POST /api/subjects/rectify` with `{"subject", "requestId", "field":
 * "input.<name>" | "label", "value", "row"?}` corrects one value of one of the subject's requests
 * (rectification.ts). The audit log keeps the request id and field, never the value.
 */
function correctedValue(v: unknown): CorrectedValue {
  if (v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)))
    return v;
  throw new AppError('invalid_rectification', '"value" must be a string, a finite number, true, false or null');
}

/** The correction the body asks for; an AppError naming what is wrong (never echoing a value). */
function correctionOf(body: Record<string, unknown>): Correction {
  const { requestId, field, row } = body;
  if (typeof requestId !== 'string' || requestId === '')
    throw new AppError('invalid_rectification', '"requestId" must name one of the subject\'s requests (ml.request.id)');
  if (typeof field !== 'string') throw new AppError('invalid_rectification', '"field" must be input.<name> or label');
  if (row !== undefined && (typeof row !== 'number' || !Number.isInteger(row) || row < 0))
    throw new AppError('invalid_rectification', '"row" must be a whole number from 0');
  if (!('value' in body)) throw new AppError('invalid_rectification', 'the body needs "value": the correct value');
  return {
    requestId,
    field,
    value: correctedValue(body['value']),
    ...(row !== undefined ? { row: row as number } : {}),
  };
}

export const rectifyRoutes: readonly SubjectRoute[] = [
  {
    method: 'POST',
    url: '/api/subjects/rectify',
    async handle(request, { rights, token }) {
      const body = bodyObject(request);
      const ref = rights.resolve(subjectText(body));
      const { requestId, field, row } = body;
      const params = {
        ...(typeof requestId === 'string' ? { requestId: requestId.slice(0, 256) } : {}),
        ...(typeof field === 'string' ? { field: field.slice(0, 256) } : {}),
        ...(typeof row === 'number' ? { row } : {}),
      };
      const c = controlsOf(rights);
      return audited(rights, 'rectify', ref.pseudonyms, token, params, () => {
        const correction = correctionOf(body);
        const r = rectify(
          {
            db: rights.sqlite.db,
            stored: rights.sqlite.rows,
            feedback: c.feedback,
            drift: c.drift,
            clock: rights.clock,
          },
          ref.pseudonyms,
          correction,
          token,
        );
        return {
          counts: { corrected: r.corrected, unchanged: r.unchanged, ...prefixed('summary', r.summaries) },
          result: { corrected: r.corrected > 0 },
        };
      });
    },
  },
];

function prefixed(prefix: string, counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).map(([k, v]) => [`${prefix}_${k}`, v]));
}

import { parseDurationMs } from '../../shared/units.js';
import { DRIFT_PARAMETERS, parseDriftQuery, type DriftQuery, type RawDriftQuery } from '../drift/drift-query.js';

/**
 * Parameters of `GET /api/relationships` (pure): drift's (drift-query.ts — model, version, window
 * or start/end, reference, slice, exemplars) plus `step`, a duration that splits the current window
 * into consecutive steps from `start` with each pair's value per step (a chart per pair over time);
 * at most MAX_STEPS steps. Drift's `bins` does not apply.
 */
export interface RawRelationshipQuery extends RawDriftQuery {
  step?: string;
}

export interface RelationshipQuery extends DriftQuery {
  stepMs?: number;
}

const MAX_STEPS = 500;
export const RELATIONSHIP_PARAMETERS = [...DRIFT_PARAMETERS.filter((p) => p !== 'bins'), 'step'];

export type RelationshipQueryResult =
  { ok: true; query: RelationshipQuery } | { ok: false; parameter: string; message: string };

export function parseRelationshipQuery(
  raw: RawRelationshipQuery,
  nowMs: number,
  maxExemplars: number,
): RelationshipQueryResult {
  const { step, ...rest } = raw;
  const parsed = parseDriftQuery(rest, nowMs, maxExemplars);
  if (!parsed.ok) return parsed;
  if (step === undefined) return parsed;
  const ms = parseDurationMs(step);
  if (ms === undefined || ms < 1)
    return { ok: false, parameter: 'step', message: `step must be a duration such as 1m, 15m or 1h, got "${step}"` };
  const stepMs = Math.round(ms);
  const steps = Math.ceil((parsed.query.range.endMs - parsed.query.range.startMs) / stepMs);
  if (steps > MAX_STEPS) {
    return {
      ok: false,
      parameter: 'step',
      message: `step ${step} splits the window into ${steps} steps; at most ${MAX_STEPS} are allowed: choose a longer step or a shorter window`,
    };
  }
  return { ok: true, query: { ...parsed.query, stepMs } };
}

import { AppError } from '../../../shared/errors.js';
import type { DriftQuery } from '../drift-query.js';
import type { ReferenceStore, StoredReference } from '../drift-store.js';
import type { TimeRange } from '../window-data.js';

/**
 * Which reference a drift query compares with. `previous` is the window of the same length just
 * before the current one. With no `reference=` the model's stored reference is used — the one of
 * the queried version, else the model-wide one — and `previous` when there is none. A training
 * profile is looked up the same way (version first, then model-wide).
 */
export type ResolvedReference =
  | { kind: 'training'; from: 'query' | 'stored'; profile: Extract<StoredReference, { kind: 'training' }> }
  | { kind: 'window' | 'previous'; from: 'query' | 'stored'; range: TimeRange }
  | { kind: 'slice'; from: 'query'; value: string };

function stored(references: ReferenceStore, model: string, version: string | undefined): StoredReference | undefined {
  return (version !== undefined ? references.get(model, version) : undefined) ?? references.get(model, '');
}

export function resolveReference(references: ReferenceStore, q: DriftQuery): ResolvedReference {
  const previous: TimeRange = { startMs: 2 * q.range.startMs - q.range.endMs, endMs: q.range.startMs };
  switch (q.reference.kind) {
    case 'previous':
      return { kind: 'previous', from: 'query', range: previous };
    case 'window':
      return { kind: 'window', from: 'query', range: q.reference.range };
    case 'slice':
      return { kind: 'slice', from: 'query', value: q.reference.value };
    case 'training': {
      const r = stored(references, q.model, q.version);
      if (r?.kind === 'training') return { kind: 'training', from: 'query', profile: r };
      throw new AppError(
        'reference_not_found',
        `model "${q.model}"${q.version === undefined ? '' : ` version "${q.version}"`} has no training profile: upload one with ` +
          `POST /api/models/${encodeURIComponent(q.model)}/reference (CSV with a header row, or JSON), or use reference=previous`,
      );
    }
    default: {
      const r = stored(references, q.model, q.version);
      if (r?.kind === 'training') return { kind: 'training', from: 'stored', profile: r };
      if (r?.kind === 'window')
        return { kind: 'window', from: 'stored', range: { startMs: r.startMs, endMs: r.endMs } };
      return { kind: 'previous', from: 'stored', range: previous };
    }
  }
}

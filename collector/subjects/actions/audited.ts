import { AppError } from '../../../shared/errors.js';
import type { SubjectRights } from '../subject-rights.js';
import type { SubjectControls } from '../subject-controls.js';

/**
 * Runs one subject-rights action as an audited request: recorded as started (who, what, which
 * subject — pseudonyms only) and then finished with its counts and result, or as failed with the
 * error's code. Returns the request id with the action's answer.
 */
export interface ActionOutcome {
  counts: Record<string, number>;
  result: Record<string, unknown>;
}

export async function audited(
  rights: SubjectRights,
  action: string,
  pseudonyms: readonly string[],
  token: string,
  params: Record<string, unknown>,
  work: () => Promise<ActionOutcome> | ActionOutcome,
): Promise<{ request: string } & ActionOutcome> {
  const id = rights.requests.start(action, pseudonyms, token, params);
  try {
    const outcome = await work();
    rights.requests.finish(id, outcome.counts, outcome.result);
    return { request: id, ...outcome };
  } catch (error) {
    const code = error instanceof AppError ? error.code : 'internal';
    rights.requests.finish(id, {}, { error: code }, 'failed');
    throw error;
  }
}

/** The controls the composition gave the subject rights; an error when built without them. */
export function controlsOf(rights: SubjectRights): SubjectControls {
  if (rights.controls === undefined) throw new Error('the subject rights were built without their controls');
  return rights.controls;
}

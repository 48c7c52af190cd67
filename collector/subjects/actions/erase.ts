import { AppError } from '../../../shared/errors.js';
import { runErasure } from '../erasure/erasure-job.js';
import { ERASE_MODES, type EraseMode } from '../erasure/span-erasure.js';
import { bodyObject, subjectText, type SubjectRoute } from '../subject-route.js';

/**
 * `POST /api/subjects/erase` `{"subject": "...", "mode": "delete" | "anonymise", "wait": true}`:
 * erasure (GDPR Art. 17). The request is recorded first (its id is in the answer); with `wait`
 * (the default) the answer is the finished request with its counts and receipt, else 202 at once
 * and `GET /api/subjects/requests/{id}` tells when it is done. An unknown subject is not an error:
 * the counts are all zero.
 */
export const eraseRoutes: readonly SubjectRoute[] = [
  {
    method: 'POST',
    url: '/api/subjects/erase',
    async handle(request, { rights, token }, reply) {
      const body = bodyObject(request);
      const mode = body['mode'] ?? 'delete';
      if (!ERASE_MODES.includes(mode as EraseMode))
        throw new AppError('invalid_parameter', `mode must be one of ${ERASE_MODES.join(', ')}`);
      const wait = body['wait'] ?? true;
      if (typeof wait !== 'boolean') throw new AppError('invalid_parameter', 'wait must be true or false');
      const subject = rights.resolve(subjectText(body));
      const id = rights.requests.start('erase', subject.pseudonyms, token, { mode, given: subject.given });
      const running = rights.requests.running().find((r) => r.id === id);
      const job = rights.enqueue(async () => {
        if (running !== undefined) await runErasure(rights, running);
      });
      if (!wait) {
        void job;
        reply.code(202);
        return { id, status: 'running' };
      }
      await job;
      return rights.requests.get(id);
    },
  },
];

import { AppError } from '../../../shared/errors.js';
import type { SubjectRoute } from '../subject-route.js';

/**
 * `GET /api/subjects/requests/{id}`: one request's status, counts and result (the job's state);
 * `GET /api/subjects/requests?limit=N`: the audit log, most recent first.
 */
export const requestStatusRoutes: readonly SubjectRoute[] = [
  {
    method: 'GET',
    url: '/api/subjects/requests/:id',
    handle(request, { rights }) {
      const { id } = request.params as { id: string };
      const found = rights.requests.get(id);
      if (found === undefined)
        throw new AppError('subject_request_not_found', `no subject-rights request has the id "${id.slice(0, 64)}"`);
      return found;
    },
  },
  {
    method: 'GET',
    url: '/api/subjects/requests',
    handle(request, { rights }) {
      const text = (request.query as { limit?: string }).limit ?? '100';
      const limit = Number(text);
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
        throw new AppError('invalid_parameter', 'limit must be a whole number from 1 to 10000');
      return { requests: rights.requests.list(limit) };
    },
  },
];

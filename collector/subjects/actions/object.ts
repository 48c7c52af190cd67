import type { SubjectRoute } from '../subject-route.js';
import { bodyObject, subjectText } from '../subject-route.js';
import { audited, controlsOf } from './audited.js';
import { markRoute } from './mark-route.js';

/**
 * Objection (Art. 21): `POST /api/subjects/object` and `/lift-objection` with `{"subject": …}`.
 * The sidecars pull the objecting pseudonyms from `GET /api/subjects/objections` (the one route of
 * this API open to the ingest scope: a sidecar's token; route-access.ts) and stop capturing them;
 * the collector's drift and relationship summaries skip what was captured before.
 */
export const objectRoutes: readonly SubjectRoute[] = [
  markRoute('/api/subjects/object', 'object', 'objection', 'objecting'),
  {
    method: 'POST',
    url: '/api/subjects/lift-objection',
    async handle(request, { rights, token }) {
      const ref = rights.resolve(subjectText(bodyObject(request)));
      const { restrictions } = controlsOf(rights);
      return audited(rights, 'lift-objection', ref.pseudonyms, token, {}, () => {
        const lifted = restrictions.lift('objection', ref.pseudonyms);
        return { counts: { lifted }, result: { objecting: false } };
      });
    },
  },
  {
    method: 'GET',
    url: '/api/subjects/objections',
    handle(_request, { rights }) {
      return { pseudonyms: [...controlsOf(rights).restrictions.objections()].sort() };
    },
  },
];

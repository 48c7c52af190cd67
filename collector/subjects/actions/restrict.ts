import type { SubjectRoute } from '../subject-route.js';
import { bodyObject, subjectText } from '../subject-route.js';
import { audited, controlsOf } from './audited.js';
import { markRoute } from './mark-route.js';

/**
 * Restriction of processing (Art. 18): `POST /api/subjects/restrict` and `/unrestrict` with
 * `{"subject": …}`; `GET /api/subjects/restrictions` lists what stands (restrictions and
 * objections, by pseudonym). While restricted, the subject's spans are kept but shown only to the
 * privacy scope, skipped by drift and relationships, and held back from forwarding; lifting the
 * restriction queues the held spans for forwarding.
 */
export const restrictRoutes: readonly SubjectRoute[] = [
  markRoute('/api/subjects/restrict', 'restrict', 'restriction', 'restricted'),
  {
    method: 'POST',
    url: '/api/subjects/unrestrict',
    async handle(request, { rights, token }) {
      const ref = rights.resolve(subjectText(bodyObject(request)));
      const { restrictions, forwardingHold } = controlsOf(rights);
      return audited(rights, 'unrestrict', ref.pseudonyms, token, {}, async () => {
        const lifted = restrictions.lift('restriction', ref.pseudonyms);
        const released = await forwardingHold.release(ref.pseudonyms);
        return { counts: { lifted, releasedSpans: released }, result: { restricted: false } };
      });
    },
  },
  {
    method: 'GET',
    url: '/api/subjects/restrictions',
    handle(_request, { rights }) {
      return { restrictions: controlsOf(rights).restrictions.list() };
    },
  },
];

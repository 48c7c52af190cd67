import type { RestrictionKind } from '../restrictions.js';
import type { SubjectRoute } from '../subject-route.js';
import { bodyObject, subjectText } from '../subject-route.js';
import { audited, controlsOf } from './audited.js';

/**
 * `POST url` with `{"subject": …}`: records `kind` (a restriction, an objection) for each of the
 * subject's pseudonyms, audited as `action`; answers with the counts and `{[flag]: true}`.
 */
export function markRoute(url: string, action: string, kind: RestrictionKind, flag: string): SubjectRoute {
  return {
    method: 'POST',
    url,
    async handle(request, { rights, token }) {
      const ref = rights.resolve(subjectText(bodyObject(request)));
      const { restrictions } = controlsOf(rights);
      return audited(rights, action, ref.pseudonyms, token, {}, () => {
        const added = restrictions.add(kind, ref.pseudonyms);
        return { counts: { pseudonyms: ref.pseudonyms.length, added }, result: { [flag]: true } };
      });
    },
  };
}

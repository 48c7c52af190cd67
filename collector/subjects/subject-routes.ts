import type { CollectorPlugin } from '../app.js';
import { eraseRoutes } from './actions/erase.js';
import { exportRoutes } from './actions/export.js';
import { objectRoutes } from './actions/object.js';
import { rectifyRoutes } from './actions/rectify.js';
import { requestStatusRoutes } from './actions/request-status.js';
import { restrictRoutes } from './actions/restrict.js';
import type { SubjectRights } from './subject-rights.js';
import type { SubjectRoute } from './subject-route.js';

/**
 * The subject-rights HTTP API under /api/subjects/ (privacy scope), one table of routes: each action
 * adds its routes to SUBJECT_ROUTES from its own file under actions/.
 */
const SUBJECT_ROUTES: readonly SubjectRoute[] = [
  ...requestStatusRoutes,
  ...eraseRoutes,
  ...exportRoutes,
  ...restrictRoutes,
  ...objectRoutes,
  ...rectifyRoutes,
];

export function subjectRightsPlugin(rights: () => SubjectRights): CollectorPlugin {
  return {
    name: 'subjects',
    register(app, context) {
      for (const route of SUBJECT_ROUTES) {
        app.route({
          method: route.method,
          url: route.url,
          handler: async (request, reply) =>
            route.handle(
              request,
              { rights: rights(), token: context.auth?.tokenName(request.headers.authorization) ?? '' },
              reply,
            ),
        });
      }
    },
  };
}

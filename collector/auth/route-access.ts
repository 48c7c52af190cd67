import type { Scope } from './scopes.js';

/**
 * THE one place that decides what each collector route needs, by method and route pattern (as
 * registered, e.g. `/api/traces/:traceId`). Rules are tried in order; a route no rule names needs
 * `admin` (closed by default), and test/collector/auth/every-route.test.ts fails for it so its
 * author adds it here on purpose. `metrics` follows --metrics-auth (open or read).
 */
export type Access = Scope | 'open' | 'metrics' | 'authenticated';

interface RouteRule {
  readonly methods: readonly string[] | '*';
  readonly path: RegExp;
  readonly access: Access;
}

const WRITE = ['POST', 'PUT', 'PATCH', 'DELETE'];
const READ = ['GET', 'HEAD'];

const ROUTE_ACCESS: readonly RouteRule[] = [
  { methods: '*', path: /^\/healthz$/, access: 'open' },
  // zipkin-server's health check and its UI's settings (field names, no data).
  { methods: READ, path: /^\/(health|zipkin\/config\.json)$/, access: 'open' },
  // The console's page and scripts hold no data; what it shows comes from the read API.
  { methods: READ, path: /^\/(ui(\/.*)?)?$/, access: 'open' },
  { methods: '*', path: /^\/metrics$/, access: 'metrics' },
  // Ingest: OTLP/HTTP, and Zipkin's POST (its GET on the same path is the read API's span names).
  { methods: '*', path: /^\/v1\/traces$/, access: 'ingest' },
  { methods: ['POST'], path: /^(\/zipkin)?\/api\/v[12]\/spans$/, access: 'ingest' },
  { methods: ['POST'], path: /^\/api\/feedback$/, access: 'feedback' },
  { methods: WRITE, path: /^\/api\/models\/:[^/]+\/reference$/, access: 'admin' },
  { methods: WRITE, path: /^\/api\/alerts\/rules(\/.*)?$/, access: 'admin' },
  // Running a retention pass deletes data; its status (GET) is read.
  { methods: WRITE, path: /^\/api\/retention(\/.*)?$/, access: 'admin' },
  // The sidecars' deny-list of objecting subjects (pseudonyms only): their ingest token pulls it.
  { methods: READ, path: /^\/api\/subjects\/objections$/, access: 'ingest' },
  { methods: '*', path: /^\/api\/(privacy|subjects)(\/.*)?$/, access: 'privacy' },
  // Datasets are captured values, as every read API: the read scope (named here, not left to the catch-all).
  { methods: READ, path: /^\/api\/datasets\/:[^/]+(\/manifest)?$/, access: 'read' },
  // Jaeger's UI posts a trace to convert it; nothing is stored.
  { methods: ['POST'], path: /^\/jaeger\/api\/transform$/, access: 'read' },
  { methods: READ, path: /^\/(api|jaeger\/api|zipkin\/api)\//, access: 'read' },
];

/** What a route outside every rule needs. */
const UNLISTED: Access = 'admin';

/** What a request matching no route (a 404) needs: any valid token, so paths cannot be probed anonymously. */
const NO_ROUTE: Access = 'authenticated';

export function ruleFor(method: string, url: string): RouteRule | undefined {
  return ROUTE_ACCESS.find((r) => (r.methods === '*' || r.methods.includes(method)) && r.path.test(url));
}

export function accessOf(method: string, url: string | undefined): Access {
  if (url === undefined) return NO_ROUTE;
  return ruleFor(method, url)?.access ?? UNLISTED;
}

import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { errorBody } from '../../shared/errors.js';
import type { Access } from './route-access.js';
import { attachCallerContext, type Caller } from './caller-context.js';
import { accessOf } from './route-access.js';
import type { AuthMode } from './binding.js';
import { AuthFailures, type FailureReason } from './auth-failures.js';
import { SCOPES, type Scope } from './scopes.js';
import type { TokenSource } from './token-source.js';

/**
 * The collector's door: one onRequest hook in front of every route. It reads the route's access
 * from route-access.ts (memoised per method and route), checks the bearer token against the
 * current token set and answers 401 (no valid token) or 403 (valid token, wrong scope) itself.
 * Failures are counted and logged with the reason and the token's name, never the token.
 */
export interface AuthGateOptions {
  mode: AuthMode;
  source?: TokenSource;
  metricsAccess: 'open' | 'read';
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
}

const BEARER = /^Bearer +(\S+) *$/i;
const EVERYONE: Caller = { scopes: new Set(SCOPES) };

export class AuthGate {
  readonly failures = new AuthFailures();
  readonly mode: AuthMode;
  readonly #options: AuthGateOptions;
  readonly #needs = new Map<string, Scope | 'open' | 'authenticated'>();
  readonly #routes: { method: string; url: string }[] = [];

  constructor(options: AuthGateOptions) {
    this.mode = options.mode;
    this.#options = options;
  }

  /**
   * Puts the gate in front of every route of `app` (call before any route is added): the
   * onRequest hook, and an onRoute hook that records each route as the router registers it.
   */
  attach(app: FastifyInstance): void {
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) this.#routes.push({ method, url: route.url });
    });
    app.addHook('onRequest', this.onRequest);
    attachCallerContext(app, (request) => this.callerOf(request.headers.authorization));
  }

  /** Who sends this Authorization header: its token, or everyone with every scope when tokens are off. */
  callerOf(header: string | undefined): Caller | undefined {
    if (this.mode !== 'tokens') return EVERYONE;
    const token = header === undefined ? undefined : BEARER.exec(header)?.[1];
    const entry = token === undefined ? undefined : this.#options.source?.current.find(token);
    return entry === undefined ? undefined : { name: entry.name, scopes: entry.scopes };
  }

  /** Every route the router registered, by method: what the gate guards (tests check each). */
  routes(): readonly { method: string; url: string }[] {
    return this.#routes;
  }

  /** The fastify onRequest hook (callback style: no promise per request). */
  readonly onRequest = (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    if (this.mode !== 'tokens') return done();
    const needed = this.#neededFor(request.method, request.routeOptions.url);
    if (needed === 'open') return done();
    const failure = this.#check(request.headers.authorization, needed);
    if (failure === undefined) return done();
    this.failures.add(failure.reason, needed);
    const route = request.routeOptions.url ?? '(no route)';
    this.#options.log(
      'warn',
      `refused ${request.method} ${route} from ${request.ip}: ${failure.reason}${failure.name ? ` (token "${failure.name}")` : ''}, needs ${needed}`,
    );
    const status = failure.reason === 'insufficient_scope' ? 403 : 401;
    const challenge =
      status === 403
        ? `Bearer realm="infertrace", error="insufficient_scope", scope="${needed}"`
        : `Bearer realm="infertrace"${failure.reason === 'missing' ? '' : ', error="invalid_token"'}`;
    reply
      .code(status)
      .header('www-authenticate', challenge)
      .send(
        errorBody(
          status === 403 ? 'forbidden' : 'unauthenticated',
          status === 403
            ? `the token "${failure.name}" lacks the scope "${needed}" this route needs`
            : `${MESSAGES[failure.reason]}; send "Authorization: Bearer <token>" with a token that has the scope "${needed}"`,
        ),
      );
  };

  /** The name of the token in an Authorization header ('' when none is valid): who asked, for audit logs. */
  tokenName(header: string | undefined): string {
    const m = header === undefined ? null : BEARER.exec(header);
    return m === null ? '' : (this.#options.source?.current.find(m[1] as string)?.name ?? '');
  }

  /** What /healthz says while the door is open to everyone who can reach it. */
  healthWarning(): string | undefined {
    return this.mode === 'insecure'
      ? 'authentication is off (--insecure-no-auth): anyone who can reach this port can read, change and delete captured data'
      : undefined;
  }

  close(): void {
    this.#options.source?.close();
  }

  #neededFor(method: string, url: string | undefined): Scope | 'open' | 'authenticated' {
    const key = `${method} ${url ?? ''}`;
    let needed = this.#needs.get(key);
    if (needed === undefined) {
      needed = resolve(accessOf(method, url), this.#options.metricsAccess);
      this.#needs.set(key, needed);
    }
    return needed;
  }

  #check(
    header: string | undefined,
    needed: Scope | 'authenticated',
  ): { reason: FailureReason; name?: string } | undefined {
    if (header === undefined || header === '') return { reason: 'missing' };
    const m = BEARER.exec(header);
    if (!m) return { reason: 'malformed' };
    const entry = this.#options.source?.current.find(m[1] as string);
    if (entry === undefined) return { reason: 'unknown' };
    if (needed !== 'authenticated' && !entry.scopes.has(needed))
      return { reason: 'insufficient_scope', name: entry.name };
    return undefined;
  }
}

const MESSAGES: Record<FailureReason, string> = {
  missing: 'this route needs a token',
  malformed: 'the Authorization header is not a bearer token',
  unknown: 'the token is not valid (unknown or revoked)',
  insufficient_scope: 'the token lacks the scope',
};

function resolve(access: Access, metricsAccess: 'open' | 'read'): Scope | 'open' | 'authenticated' {
  if (access === 'metrics') return metricsAccess === 'open' ? 'open' : 'read';
  return access;
}

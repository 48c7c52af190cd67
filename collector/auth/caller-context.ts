import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Scope } from './scopes.js';

/**
 * Who is asking, for code far from the route handler (the span reader deciding whether a
 * restricted subject's spans may be shown). Kept in an AsyncLocalStorage entered at onRequest and
 * re-entered at preValidation, because fastify runs the handler of a request with a body from the
 * body stream's callbacks, outside the context entered at onRequest (the pattern of
 * @fastify/request-context). The caller is resolved lazily: most requests never ask.
 */
export interface Caller {
  /** The token's name; absent when no tokens are configured. */
  readonly name?: string;
  readonly scopes: ReadonlySet<Scope>;
}

interface Slot {
  readonly resolve: () => Caller | undefined;
  caller?: Caller | null;
}

const storage = new AsyncLocalStorage<Slot>();
const resources = new WeakMap<FastifyRequest, AsyncResource>();

/** Adds the hooks that make `currentCaller()` answer inside this app's requests. */
export function attachCallerContext(
  app: FastifyInstance,
  resolve: (request: FastifyRequest) => Caller | undefined,
): void {
  app.addHook('onRequest', (request, _reply, done) => {
    storage.run({ resolve: () => resolve(request) }, () => {
      const resource = new AsyncResource('infertrace-caller');
      resources.set(request, resource);
      resource.runInAsyncScope(done, request.raw);
    });
  });
  app.addHook('preValidation', (request, _reply, done) => {
    const resource = resources.get(request);
    if (resource === undefined) return done();
    resource.runInAsyncScope(done, request.raw);
  });
}

/** The caller of the request being served; undefined outside a request. */
export function currentCaller(): Caller | undefined {
  const slot = storage.getStore();
  if (slot === undefined) return undefined;
  if (slot.caller === undefined) slot.caller = slot.resolve() ?? null;
  return slot.caller ?? undefined;
}

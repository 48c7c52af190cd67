import type { FastifyInstance } from 'fastify';
import { errorBody } from '../shared/errors.js';
import type { CollectorPlugin } from './app.js';

/**
 * A part of the collector that exists only once the database is open (feedback, alerts,
 * forwarding, drift: each keeps tables in it). The collector listens before the database opens,
 * so a read-only file or a full disk never stops it from starting; until then these parts answer
 * 503 with the reason instead of their routes being missing.
 */
export class LateBound<T extends object> {
  private value: T | undefined;

  constructor(readonly what: string) {}

  set(value: T): void {
    this.value = value;
  }

  get(): T | undefined {
    return this.value;
  }

  /**
   * A stand-in that forwards every property to the value once it is set. Plugins receive it as
   * their dependency; `guard` ensures none of their handlers runs before then.
   */
  stand(): T {
    return new Proxy({} as T, {
      get: (_target, key) => {
        const v = this.value;
        if (v === undefined) throw new Error(`${this.what} is not available until the database is open`);
        const x: unknown = Reflect.get(v, key, v);
        return typeof x === 'function' ? (x as (...a: unknown[]) => unknown).bind(v) : x;
      },
    });
  }
}

/** Wraps a plugin so its routes answer 503 until every one of `parts` is bound. */
export function guard(plugin: CollectorPlugin, parts: readonly LateBound<object>[]): CollectorPlugin {
  return {
    name: plugin.name,
    async register(scope: FastifyInstance, context) {
      scope.addHook('onRequest', async (_request, reply) => {
        const missing = parts.find((p) => p.get() === undefined);
        if (missing === undefined) return;
        const health = context.store as { status?: () => { error?: string } };
        const why = health.status?.().error ?? 'the database is being opened';
        await reply.code(503).header('retry-after', '5').send(errorBody('store_unavailable', `${missing.what} is unavailable: ${why}`));
      });
      await plugin.register(scope, context);
    },
  };
}

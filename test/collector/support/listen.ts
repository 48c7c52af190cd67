import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../../collector/app.js';
import { buildApp } from '../../../collector/app.js';

/** buildApp on a real loopback listener, port 0. */
export interface Listening {
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

export async function listenApp(deps: AppDeps): Promise<Listening> {
  const app = buildApp(deps);
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url: address, close: () => app.close() };
}

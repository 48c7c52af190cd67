import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import type { CollectorPlugin } from '../app.js';

/**
 * The web console: the files `vite build` wrote (npm install builds them), served under `/ui/`,
 * with `/` redirecting there. Page state lives in the query string, so one index.html serves
 * every deep link. When the build is missing, `/ui/` says how to make it instead of a bare 404.
 */
export interface ConsoleOptions {
  /** The built console (holds index.html); default: dist/console of this installation. */
  dir?: string;
}

/** dist/console beside the compiled collector, or of the checkout when running from source. */
function defaultConsoleDir(): string {
  const here = fileURLToPath(import.meta.url);
  const fromDist = here.includes('/dist/');
  return fileURLToPath(new URL(fromDist ? '../../console/' : '../../dist/console/', import.meta.url));
}

export function consolePlugin(options: ConsoleOptions = {}): CollectorPlugin {
  const dir = options.dir ?? defaultConsoleDir();
  return {
    name: 'console',
    async register(app: FastifyInstance) {
      app.get('/', async (_request, reply) => reply.redirect('/ui/', 302));
      if (!existsSync(`${dir}/index.html`)) {
        app.get('/ui/*', async (_request, reply) =>
          reply
            .code(503)
            .type('text/plain')
            .send('the web console is not built: run `npm run build` (npm install builds it)\n'),
        );
        return;
      }
      await app.register(fastifyStatic, { root: dir, prefix: '/ui/', index: ['index.html'], maxAge: 0 });
      app.get('/ui', async (_request, reply) => reply.redirect('/ui/', 301));
    },
  };
}

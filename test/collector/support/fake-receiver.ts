import Fastify, { type FastifyInstance } from 'fastify';

/**
 * Test-only: an in-process HTTP receiver standing in for Jaeger's OTLP/HTTP endpoint or Zipkin's
 * POST /api/v2/spans. It records every request body (with the time it arrived) and answers as the
 * test tells it; it can go down (stop listening) and come back on the same port.
 */
export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface Received {
  at: number;
  body: string;
}

export class FakeReceiver {
  readonly received: Received[] = [];
  answer: (index: number) => Answer = () => ({ status: 200, body: '{}' });
  private app: FastifyInstance | undefined;
  private port = 0;

  constructor(readonly path: string) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}${this.path}`;
  }

  async up(): Promise<this> {
    const app = Fastify();
    app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    app.post(this.path, async (request, reply) => {
      const index = this.received.length;
      this.received.push({ at: Date.now(), body: request.body as string });
      const a = this.answer(index);
      return reply
        .code(a.status)
        .headers(a.headers ?? {})
        .send(a.body ?? '');
    });
    await app.listen({ host: '127.0.0.1', port: this.port });
    this.port = (app.server.address() as { port: number }).port;
    this.app = app;
    return this;
  }

  async down(): Promise<void> {
    await this.app?.close();
    this.app = undefined;
  }
}

/** Polls until the condition holds (or fails the test after `ms`, naming what it waited for). */
export async function waitFor(what: string, condition: () => boolean, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

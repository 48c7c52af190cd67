import { describe, expect, it } from 'vitest';
import { buildApp } from '../../collector/app.js';
import { guard, LateBound } from '../../collector/late-bound.js';
import { memorySpanStore } from './support/memory-db.js';

interface Greeter { greet(name: string): string }

describe('parts bound once the database opens', () => {
  const slot = new LateBound<Greeter>('greeting');
  const greeter = slot.stand();
  const plugin = guard({ name: 'greet', register: (app) => { app.get('/hello', async () => ({ text: greeter.greet('you') })); } }, [slot]);
  const app = buildApp({ store: memorySpanStore(), plugins: [plugin] });

  it('answers 503 with a reason and Retry-After before they are bound', async () => {
    const res = await app.inject('/hello');
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.json()).toMatchObject({ error: { code: 'store_unavailable', message: expect.stringContaining('greeting is unavailable') } });
  });

  it('serves through the stand-in once bound, with methods called on the real object', async () => {
    slot.set({ prefix: 'hello', greet(this: { prefix: string }, name: string) { return `${this.prefix} ${name}`; } } as Greeter);
    const res = await app.inject('/hello');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ text: 'hello you' });
  });
});

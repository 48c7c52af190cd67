import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../../collector/storage/memory-store.js';
import { StoreFullError } from '../../../collector/storage/span-store.js';
import { makeInferenceTrace } from './span-fixtures.js';
import { registerSpanStoreContract } from './span-store-contract.js';

registerSpanStoreContract('memory store', () => ({ store: createMemoryStore() }));

describe('memory store limits', () => {
  it('refuses a write beyond maxSpans with StoreFullError and keeps what it holds', async () => {
    const store = createMemoryStore({ maxSpans: 3, retryAfterSeconds: 7 });
    const first = makeInferenceTrace();
    await store.writeSpans(first);
    const error = await store.writeSpans(makeInferenceTrace()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreFullError);
    expect((error as StoreFullError).retryAfterSeconds).toBe(7);
    expect(store.size()).toBe(2);
    await store.writeSpans(first); // duplicates take no room
    expect(store.size()).toBe(2);
  });
});

/**
 * Finds a series' state from its four key parts without building a key string per span: nested
 * maps look up the span's own (already hashed) strings, so the ingest hot path does not allocate.
 */
export class SeriesIndex<T> {
  private readonly root = new Map<string, Map<string, Map<string, Map<string, T>>>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(service: string, operation: string, model: string, version: string): T | undefined {
    return this.root.get(service)?.get(operation)?.get(model)?.get(version);
  }

  set(service: string, operation: string, model: string, version: string, value: T): void {
    const level = <K, V>(m: Map<K, V>, k: K, make: () => V): V => {
      let v = m.get(k);
      if (v === undefined) m.set(k, (v = make()));
      return v;
    };
    const operations = level(this.root, service, () => new Map());
    const models = level(operations, operation, () => new Map());
    const versions = level(models, model, () => new Map<string, T>());
    if (!versions.has(version)) this.count += 1;
    versions.set(version, value);
  }

  *values(): IterableIterator<T> {
    for (const ops of this.root.values()) {
      for (const models of ops.values()) {
        for (const versions of models.values()) yield* versions.values();
      }
    }
  }

  clear(): void {
    this.root.clear();
    this.count = 0;
  }
}

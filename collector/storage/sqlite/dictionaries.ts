import type { Attributes, InstrumentationScope } from '../../../shared/span-record.js';
import type { Statements } from './statements.js';

/**
 * Hands out the integer ids the span rows refer to — services, operations, models, sources
 * (resource + scope) — inserting rows on first sight. Memoised, because nearly
 * every span repeats what the previous one said. Runs inside the write transaction: if that rolls
 * back, call `forget()`, since ids handed out during it no longer exist.
 */
const MAX_CACHED = 50_000;

class BoundedMap<V> extends Map<string, V> {
  override set(key: string, value: V): this {
    if (this.size >= MAX_CACHED) {
      const oldest = this.keys().next();
      if (oldest.done !== true) this.delete(oldest.value);
    }
    return super.set(key, value);
  }
}

export class Dictionaries {
  private readonly services = new BoundedMap<number>();
  private readonly ops = new BoundedMap<number>();
  private readonly models = new BoundedMap<number>();
  private readonly sources = new BoundedMap<number>();
  /** Resource objects seen in the current batch: decoders share one object among a resource's spans. */
  private byResourceObject = new WeakMap<Attributes, Map<string, number>>();

  /** Bumped whenever a service, operation, model or source may have been added or removed. */
  generation = 0;

  constructor(private readonly st: Statements) {}

  service(name: string): number {
    let id = this.services.get(name);
    if (id === undefined) {
      id =
        (this.st.serviceId.get(name) as number | undefined) ??
        this.added(this.st.insertService.run(name).lastInsertRowid);
      this.services.set(name, id);
    }
    return id;
  }

  op(service: number, name: string, kind: number): number {
    const key = `${service}\u0000${kind}\u0000${name}`;
    let id = this.ops.get(key);
    if (id === undefined) {
      id =
        (this.st.opId.get(service, name, kind) as number | undefined) ??
        this.added(this.st.insertOp.run(service, name, kind).lastInsertRowid);
      this.ops.set(key, id);
    }
    return id;
  }

  model(name: string, version: string): number {
    const key = `${name}\u0000${version}`;
    let id = this.models.get(key);
    if (id === undefined) {
      id =
        (this.st.modelId.get(name, version) as number | undefined) ??
        this.added(this.st.insertModel.run(name, version).lastInsertRowid);
      this.models.set(key, id);
    }
    return id;
  }

  source(resource: Attributes, scope: InstrumentationScope): number {
    const scopeKey = `${scope.name}\u0000${scope.version}`;
    let perObject = this.byResourceObject.get(resource);
    const seen = perObject?.get(scopeKey);
    if (seen !== undefined) return seen;
    const resourceJson = JSON.stringify(resource);
    const key = `${scopeKey}\u0000${resourceJson}`;
    let id = this.sources.get(key);
    if (id === undefined) {
      id =
        (this.st.sourceId.get(key) as number | undefined) ??
        this.added(this.st.insertSource.run(key, resourceJson, scope.name, scope.version).lastInsertRowid);
      this.sources.set(key, id);
    }
    if (perObject === undefined) {
      perObject = new Map();
      this.byResourceObject.set(resource, perObject);
    }
    perObject.set(scopeKey, id);
    return id;
  }

  private added(rowid: number | bigint): number {
    this.generation++;
    return Number(rowid);
  }

  /** Call at the start of every batch: a caller may change a resource object between writes. */
  newBatch(): void {
    this.byResourceObject = new WeakMap();
  }

  /** Forgets every memoised id (after a rollback, or after retention deleted rows). */
  forget(): void {
    this.generation++;
    this.services.clear();
    this.ops.clear();
    this.models.clear();
    this.sources.clear();
    this.newBatch();
  }
}

import type { Attributes, InstrumentationScope, SpanKind } from '../../../shared/span-record.js';
import { SPAN_KINDS } from '../../../shared/span-record.js';
import type { Statements } from './statements.js';

/**
 * The reader's view of the small tables spans refer to by integer: services, operations, models,
 * sources. Held in memory (they are small) and reloaded when an id is missing, i.e. after a writer
 * added one.
 */
export interface OperationRow {
  id: number;
  service: number;
  name: string;
  kind: SpanKind;
}

export interface ModelRow {
  id: number;
  name: string;
  version: string;
}

export interface SourceRow {
  resource: Attributes;
  scope: InstrumentationScope;
}

export class NameTables {
  services = new Map<number, string>();
  ops = new Map<number, OperationRow>();
  models = new Map<number, ModelRow>();
  sources = new Map<number, SourceRow>();

  private seen = -1;

  constructor(
    private readonly st: Statements,
    /** The writer's Dictionaries.generation: unchanged means the tables are as last loaded. */
    private readonly generation: () => number = () => -2,
  ) {}

  /** Reloads services, operations and models if a writer may have changed them since. */
  refresh(): void {
    const now = this.generation();
    if (now !== this.seen || now === -2) this.reload();
    this.seen = now;
  }

  /** Reloads services, operations and models (sources load on demand: they are larger). */
  reload(): void {
    this.services = new Map((this.st.services.all() as { id: number; name: string }[]).map((r) => [r.id, r.name]));
    this.ops = new Map(
      (this.st.operations.all() as { id: number; service: number; name: string; kind: number }[]).map((r) => [
        r.id,
        { id: r.id, service: r.service, name: r.name, kind: SPAN_KINDS[r.kind] ?? 'UNSPECIFIED' },
      ]),
    );
    this.models = new Map((this.st.modelIds.all() as ModelRow[]).map((r) => [r.id, r]));
  }

  reloadSources(): void {
    const sources = this.st.sources.all() as {
      id: number;
      resource: string;
      scope_name: string;
      scope_version: string;
    }[];
    this.sources = new Map(
      sources.map((r) => [
        r.id,
        { resource: JSON.parse(r.resource) as Attributes, scope: { name: r.scope_name, version: r.scope_version } },
      ]),
    );
  }

  private get<V>(pick: () => Map<number, V>, id: number, reload = (): void => this.reload()): V | undefined {
    const hit = pick().get(id);
    if (hit !== undefined) return hit;
    reload();
    return pick().get(id);
  }

  service(id: number): string {
    return this.get(() => this.services, id) ?? 'unknown_service';
  }

  op(id: number): OperationRow | undefined {
    return this.get(() => this.ops, id);
  }

  source(id: number): SourceRow | undefined {
    return this.get(
      () => this.sources,
      id,
      () => this.reloadSources(),
    );
  }
}

import { KEY_KIND } from './keys.js';
import type { KeyKind } from './keys.js';

/**
 * The lookup keys of the most recent spans, in memory — the part of the key index not yet written
 * out as a sorted run. Besides answering lookups it knows each recent span's identity, so a
 * duplicate of a recent span is caught without touching the disk. Additions made inside a write
 * transaction are logged and can be undone if the transaction rolls back.
 */
export interface RecentSpan {
  row: number;
  traceId: string;
  spanId: string;
  kind: number;
}

export class Memtable {
  readonly traces = new Map<number, RecentSpan[]>();
  readonly requests = new Map<number, number[]>();
  readonly subjects = new Map<number, number[]>();
  spans = 0;
  firstRow = Number.POSITIVE_INFINITY;
  lastRow = 0;
  private undoLog: { map: Map<number, unknown[]>; key: number }[] | undefined;

  /** `subjectKeys`: one per distinct subject of the span (a batch's rows may belong to several). */
  addSpan(key: number, span: RecentSpan, requestKey: number | undefined, subjectKeys: readonly number[]): void {
    this.push(this.traces, key, span);
    if (requestKey !== undefined) this.push(this.requests, requestKey, span.row);
    for (const subjectKey of subjectKeys) this.push(this.subjects, subjectKey, span.row);
    this.spans++;
    if (span.row < this.firstRow) this.firstRow = span.row;
    if (span.row > this.lastRow) this.lastRow = span.row;
  }

  /** Is this span here (in a row not below `minRow`, i.e. not deleted since by retention)? */
  hasSpan(key: number, traceId: string, spanId: string, kind: number, minRow = 0): boolean {
    const list = this.traces.get(key);
    return (
      list !== undefined &&
      list.some((s) => s.row >= minRow && s.spanId === spanId && s.kind === kind && s.traceId === traceId)
    );
  }

  rows(kind: KeyKind, key: number): number[] {
    if (kind === KEY_KIND.trace) return (this.traces.get(key) ?? []).map((s) => s.row);
    return (kind === KEY_KIND.request ? this.requests : this.subjects).get(key) ?? [];
  }

  /** Forgets one row under one key (the span was erased). */
  forgetRow(kind: KeyKind, key: number, row: number): void {
    const map = (
      kind === KEY_KIND.trace ? this.traces : kind === KEY_KIND.request ? this.requests : this.subjects
    ) as Map<number, unknown[]>;
    const list = map.get(key);
    if (list === undefined) return;
    const kept = list.filter((item) => (typeof item === 'number' ? item : (item as RecentSpan).row) !== row);
    if (kind === KEY_KIND.trace) this.spans -= list.length - kept.length;
    if (kept.length === 0) map.delete(key);
    else map.set(key, kept);
  }

  /** Starts logging additions (call at the start of a write transaction). */
  begin(): void {
    this.undoLog = [];
  }

  /** Keeps the additions since begin(). */
  commit(): void {
    this.undoLog = undefined;
  }

  /** Removes the additions since begin() (the transaction rolled back). */
  rollback(): void {
    const log = this.undoLog ?? [];
    for (let i = log.length - 1; i >= 0; i--) {
      const { map, key } = log[i] as { map: Map<number, unknown[]>; key: number };
      const list = map.get(key);
      const removed = list?.pop();
      if (list !== undefined && list.length === 0) map.delete(key);
      if (map === (this.traces as Map<number, unknown[]>) && removed !== undefined) this.spans--;
    }
    this.undoLog = undefined;
    this.recomputeRange();
  }

  /**
   * Every entry as flat (kind, key, row) triples sorted in that order: the order a run is written
   * in. Rows were added in increasing order, so only the keys need sorting.
   */
  sortedTriples(): number[] {
    const out: number[] = [];
    const kinds: [KeyKind, Map<number, unknown[]>][] = [
      [KEY_KIND.trace, this.traces],
      [KEY_KIND.request, this.requests],
      [KEY_KIND.subject, this.subjects],
    ];
    for (const [kind, map] of kinds) {
      const keys = Float64Array.from(map.keys()).sort();
      for (const key of keys) {
        for (const item of map.get(key) as unknown[]) {
          out.push(kind, key, typeof item === 'number' ? item : (item as RecentSpan).row);
        }
      }
    }
    return out;
  }

  entryCount(): number {
    let n = this.spans;
    for (const rows of this.requests.values()) n += rows.length;
    for (const rows of this.subjects.values()) n += rows.length;
    return n;
  }

  private push<V>(map: Map<number, V[]>, key: number, value: V): void {
    const list = map.get(key);
    if (list === undefined) map.set(key, [value]);
    else list.push(value);
    this.undoLog?.push({ map: map as Map<number, unknown[]>, key });
  }

  private recomputeRange(): void {
    this.firstRow = Number.POSITIVE_INFINITY;
    this.lastRow = 0;
    for (const list of this.traces.values()) {
      for (const s of list) {
        if (s.row < this.firstRow) this.firstRow = s.row;
        if (s.row > this.lastRow) this.lastRow = s.row;
      }
    }
  }
}

import { AppError } from '../../shared/errors.js';
import type { ReferenceStore } from '../drift/drift-store.js';
import { resolveReference } from '../drift/references/reference-resolution.js';
import type { SliceValue } from '../drift/slices.js';
import type { TimeRange } from '../drift/window-data.js';
import {
  collectPairs,
  collectSlicedPairs,
  pairKey,
  type PairEntry,
  type PairWindow,
  type PairWindowDeps,
} from './pair-window.js';
import type { RelationshipQuery } from './relationship-query.js';
import { findRelationshipExemplars, type ExemplarTarget, type RelationshipExemplar } from './relationship-exemplars.js';
import { comparePair, DEFAULT_ALPHA, type PairComparisonJson } from './report/pair-comparison.js';

/**
 * Answers a relationship query: resolve the reference as drift does (previous, a window, the
 * model's pinned window, or a slice; training profiles hold no pairs), gather both sides' pair
 * summaries, compare each pair, find exemplar requests for the flagged ones, and — with a step —
 * each pair's value per step of the current window.
 */
export interface PairJson extends PairComparisonJson {
  exemplars: RelationshipExemplar[];
  series?: { start: number; end: number; count: number; value: number | null }[];
}

interface SideJson {
  start: number | null;
  end: number | null;
  rawSpans: number;
  summaryRows: number;
  complete: boolean;
}

export interface RelationshipAnswer {
  model: string;
  version: string | null;
  window: { start: number; end: number };
  reference: { kind: string; from: string; start?: number; end?: number; value?: string };
  threshold: { pValue: number; tests: { pearson_r: 'fisher_z'; mutual_information: 'chi_square' } };
  data: { current: SideJson; reference: SideJson };
  step: number | null;
  flagged: number;
  pairs: PairJson[];
  slices?: { key: string; values: { value: SliceValue; flagged: number; pairs: PairJson[] }[] };
  notes: string[];
}

export interface RelationshipServiceDeps {
  window: PairWindowDeps;
  references: () => ReferenceStore | undefined;
  flush: () => void;
  maxSlices: number;
}

const iso = (ms: number): string => new Date(ms).toISOString();
const NS = 1_000_000n;

function side(w: PairWindow | undefined, range: TimeRange | undefined): SideJson {
  return {
    start: range?.startMs ?? null,
    end: range?.endMs ?? null,
    rawSpans: w?.rawSpans ?? 0,
    summaryRows: w?.summaryRows ?? 0,
    complete: w?.complete ?? true,
  };
}

/** Pairs of both sides, outputs then inputs by name. */
function compareAll(
  reference: Map<string, PairEntry>,
  current: Map<string, PairEntry>,
): { targets: ExemplarTarget[]; pairs: PairJson[] } {
  const keys = [...new Set([...current.keys(), ...reference.keys()])];
  const entries = keys
    .map((k) => (current.get(k) ?? reference.get(k))!)
    .sort((a, b) => a.output.localeCompare(b.output) || a.input.localeCompare(b.input));
  const targets = entries.map((e): ExemplarTarget => {
    const key = pairKey(e.input, e.output);
    const ref = reference.get(key)?.summary;
    const c = comparePair(e.input, e.output, ref, current.get(key)?.summary, DEFAULT_ALPHA);
    return {
      json: { ...c.json, exemplars: [] },
      ...(c.tables ? { tables: c.tables } : {}),
      ...(ref ? { reference: ref } : {}),
    };
  });
  return { targets, pairs: targets.map((t) => t.json) };
}

export class RelationshipService {
  constructor(private readonly deps: RelationshipServiceDeps) {}

  async report(q: RelationshipQuery): Promise<RelationshipAnswer> {
    this.deps.flush();
    const references = this.deps.references();
    const notes: string[] = [];
    let ref =
      references === undefined
        ? {
            kind: 'previous' as const,
            from: 'stored' as const,
            range: { startMs: 2 * q.range.startMs - q.range.endMs, endMs: q.range.startMs },
          }
        : resolveReference(references, q);
    if (ref.kind === 'training') {
      if (ref.from === 'query') {
        throw new AppError(
          'reference_not_found',
          'a training profile holds each feature on its own, not input–output pairs: use reference=previous, window:<start>/<end> or slice:<value>',
        );
      }
      notes.push(
        "the model's stored reference is a training profile, which holds no input–output pairs: the previous window is the reference",
      );
      ref = {
        kind: 'previous',
        from: 'stored',
        range: { startMs: 2 * q.range.startMs - q.range.endMs, endMs: q.range.startMs },
      };
    }
    const base = { model: q.model, ...(q.version === undefined ? {} : { version: q.version }) };
    const current = await collectPairs(this.deps.window, { ...base, range: q.range });
    if (current.pairs.size === 0) {
      throw new AppError(
        'no_observations',
        `no captured input–output pairs of model "${q.model}"${q.version === undefined ? '' : ` version "${q.version}"`} started between ` +
          `${iso(q.range.startMs)} and ${iso(q.range.endMs)}: check the model name and version, widen the window, and check that the sidecar captures both inputs and outputs`,
      );
    }
    if (!current.complete)
      notes.push(
        `the current window has more than ${this.deps.window.maxRawSpans} spans outside whole buckets: the newest ones were used`,
      );
    const refRange = ref.kind === 'slice' ? undefined : ref.range;
    const refWindow =
      refRange === undefined ? undefined : await collectPairs(this.deps.window, { ...base, range: refRange });
    if (refRange !== undefined && refWindow?.pairs.size === 0) {
      notes.push(
        `the reference window ${iso(refRange.startMs)} – ${iso(refRange.endMs)} holds no pairs of the model: nothing can be flagged; choose reference=window:<start>/<end>`,
      );
    }

    const overall = compareAll(refWindow?.pairs ?? new Map(), current.pairs);
    let slices: RelationshipAnswer['slices'];
    if (q.slice !== undefined) slices = await this.slices(q, q.slice, ref, notes);
    await findRelationshipExemplars(
      this.deps.window.spans,
      { ...base, startNano: BigInt(q.range.startMs) * NS, endNano: BigInt(q.range.endMs) * NS },
      overall.targets.filter((t) => t.json.flagged),
      q.exemplars,
      this.deps.window.maxRawSpans,
    );
    if (q.stepMs !== undefined) await this.series(q, q.stepMs, overall.pairs);
    return {
      model: q.model,
      version: q.version ?? null,
      window: { start: q.range.startMs, end: q.range.endMs },
      reference:
        ref.kind === 'slice'
          ? { kind: 'slice', from: 'query', value: ref.value }
          : { kind: ref.kind, from: ref.from, start: ref.range.startMs, end: ref.range.endMs },
      threshold: { pValue: DEFAULT_ALPHA, tests: { pearson_r: 'fisher_z', mutual_information: 'chi_square' } },
      data: { current: side(current, q.range), reference: side(refWindow, refRange) },
      step: q.stepMs ?? null,
      flagged: overall.pairs.filter((p) => p.flagged).length,
      pairs: overall.pairs,
      ...(slices === undefined ? {} : { slices }),
      notes,
    };
  }

  /** Each slice of the current window against the same slice of the reference window (or against slice:<value>). */
  private async slices(
    q: RelationshipQuery,
    key: string,
    ref: ReturnType<typeof resolveReference>,
    notes: string[],
  ): Promise<RelationshipAnswer['slices']> {
    const base = { model: q.model, ...(q.version === undefined ? {} : { version: q.version }) };
    const cur = await collectSlicedPairs(this.deps.window, { ...base, range: q.range }, key);
    const refSlices =
      ref.kind === 'slice'
        ? cur
        : ref.kind === 'training'
          ? undefined
          : await collectSlicedPairs(this.deps.window, { ...base, range: ref.range }, key);
    if (!cur.complete)
      notes.push(
        `slices: the current window has more than ${this.deps.window.maxRawSpans} spans: the newest ones were used`,
      );
    const fixed = ref.kind === 'slice' ? (cur.slices.get(ref.value)?.pairs ?? new Map<string, PairEntry>()) : undefined;
    const values = [...cur.slices.entries()]
      .sort((a, b) => b[1].rawSpans - a[1].rawSpans || String(a[0]).localeCompare(String(b[0])))
      .slice(0, this.deps.maxSlices)
      .map(([value, w]) => {
        const against = fixed ?? refSlices?.slices.get(value)?.pairs ?? new Map<string, PairEntry>();
        const pairs = compareAll(against, w.pairs).pairs;
        return { value, flagged: pairs.filter((p) => p.flagged).length, pairs };
      });
    return { key, values };
  }

  /** Each pair's measure (r or mutual information, as the pair's kind says) per step. */
  private async series(q: RelationshipQuery, stepMs: number, pairs: PairJson[]): Promise<void> {
    for (const p of pairs) p.series = [];
    const byKey = new Map(pairs.map((p) => [pairKey(p.input, p.output), p]));
    for (let start = q.range.startMs; start < q.range.endMs; start += stepMs) {
      const end = Math.min(q.range.endMs, start + stepMs);
      const w = await collectPairs(this.deps.window, {
        model: q.model,
        ...(q.version === undefined ? {} : { version: q.version }),
        range: { startMs: start, endMs: end },
      });
      for (const [key, p] of byKey) {
        const s = w.pairs.get(key)?.summary;
        const c = comparePair(p.input, p.output, undefined, s).json;
        const value = p.kind === c.kind ? c.current.value : null;
        p.series!.push({ start, end, count: s?.count ?? 0, value });
      }
    }
  }
}

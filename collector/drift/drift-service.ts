import { AppError } from '../../shared/errors.js';
import { driftReport } from './report/drift-report.js';
import type { DriftOptions } from './report/drift-options.js';
import type { DriftDataset } from './report/feature-data.js';
import type { DriftAnswer, ReferenceJson, SideJson } from './drift-json.js';
import { reportJson, sideJson } from './drift-json.js';
import type { DriftQuery } from './drift-query.js';
import type { DriftSettings } from './drift-settings.js';
import type { DriftStores } from './drift-store.js';
import { exemplarTargets, findExemplars, type ExemplarTarget } from './exemplars.js';
import { resolveReference, type ResolvedReference } from './references/reference-resolution.js';
import { trainingDataset } from './references/reference-profile.js';
import { slicedReports } from './sliced-report.js';
import { collectWindow, type TimeRange, type WindowData, type WindowDeps } from './window-data.js';
import type { WindowSpanSource } from './window-spans.js';

/**
 * Answers a drift query: resolve the reference, gather both sides (summaries for whole buckets,
 * raw values for the rest, raw values per slice), run the pure driftReport, then one scan for
 * exemplar requests behind the drifted features.
 */
export interface DriftServiceDeps {
  stores: DriftStores;
  spans: WindowSpanSource;
  settings: DriftSettings;
  /** Statistics options (methods, thresholds, per-feature overrides); defaults when absent. */
  reportOptions?: DriftOptions;
  /** Merges pending summaries into the store, so whole buckets include the latest spans. */
  flush?: () => void;
  clock?: () => number;
}

export interface ReferenceSide {
  dataset: DriftDataset;
  side: SideJson;
}

const iso = (ms: number): string => new Date(ms).toISOString();
const NS = 1_000_000n;

export class DriftService {
  readonly window: WindowDeps;

  constructor(readonly deps: DriftServiceDeps) {
    this.window = { summaries: deps.stores.summaries, spans: deps.spans, settings: deps.settings };
  }

  get spans(): WindowSpanSource {
    return this.deps.spans;
  }

  /**
   * `windows` lets a caller that reports many adjacent windows (the drift series) read each window
   * once: with the previous-window reference, one step's current window is the next one's reference.
   */
  async report(q: DriftQuery, windows?: Map<string, Promise<WindowData>>): Promise<DriftAnswer> {
    this.deps.flush?.();
    const ref = resolveReference(this.deps.stores.references, q);
    const current = await this.collect(q, q.range, windows);
    if (current.observations === 0) {
      throw new AppError(
        'no_observations',
        `no captured inputs or outputs of model "${q.model}"${q.version === undefined ? '' : ` version "${q.version}"`} ` +
          `started between ${iso(q.range.startMs)} and ${iso(q.range.endMs)}: check the model name (its ml.model.name, or the ` +
          `sidecar's service name) and version, widen the window, and check that the sidecar captures payloads (INFERTRACE_CAPTURE)`,
      );
    }
    const notes: string[] = [];
    if (!current.complete)
      notes.push(
        `the current window has more than ${this.deps.settings.maxRawSpans} spans outside whole buckets: the newest ones were used`,
      );
    const refSide = ref.kind === 'slice' ? undefined : await this.referenceSide(q, ref, notes, windows);

    let overall;
    let slices: DriftAnswer['slices'];
    let targets: ExemplarTarget[];
    if (q.slice === undefined) {
      const options =
        q.bins === undefined ? (this.deps.reportOptions ?? {}) : { ...this.deps.reportOptions, topBins: q.bins };
      overall = reportJson(
        driftReport({
          reference: only(refSide!.dataset, q.feature),
          current: only(current.dataset, q.feature),
          options,
        }),
      );
      targets = exemplarTargets(overall.features);
    } else {
      const sliced = await slicedReports(this, q, q.slice, ref, refSide?.dataset, current);
      overall = sliced.overall;
      slices = { key: q.slice, omitted: sliced.omitted, values: sliced.slices };
      targets = sliced.targets;
      notes.push(...sliced.notes);
    }
    const version = q.version === undefined ? {} : { version: q.version };
    await findExemplars(
      this.deps.spans,
      { model: q.model, ...version, startNano: BigInt(q.range.startMs) * NS, endNano: BigInt(q.range.endMs) * NS },
      targets,
      q.exemplars,
      this.deps.settings.maxRawSpans,
    );
    const options = this.deps.reportOptions;
    return {
      model: q.model,
      version: q.version ?? null,
      window: { start: q.range.startMs, end: q.range.endMs },
      reference: referenceJson(ref),
      data: {
        current: sideJson(current),
        reference: refSide?.side ?? sideJson({ observations: 0, rawSpans: 0, summaryRows: 0, complete: true }),
      },
      driftShareThreshold: options?.driftShare ?? 0.5,
      ...overall,
      ...(slices === undefined ? {} : { slices }),
      notes,
    };
  }

  private collect(
    q: DriftQuery,
    range: TimeRange,
    windows: Map<string, Promise<WindowData>> | undefined,
  ): Promise<WindowData> {
    const version = q.version === undefined ? {} : { version: q.version };
    const key = `${range.startMs}/${range.endMs}`;
    let data = windows?.get(key);
    if (data === undefined) {
      data = collectWindow(this.window, { model: q.model, ...version, range });
      windows?.set(key, data);
    }
    return data;
  }

  private async referenceSide(
    q: DriftQuery,
    ref: Exclude<ResolvedReference, { kind: 'slice' }>,
    notes: string[],
    windows: Map<string, Promise<WindowData>> | undefined,
  ): Promise<ReferenceSide> {
    if (ref.kind === 'training') {
      const p = ref.profile;
      return {
        dataset: trainingDataset(p),
        side: { start: null, end: null, observations: p.rows, rawSpans: 0, summaryRows: 0, complete: true },
      };
    }
    const range: TimeRange = ref.range;
    const data = await this.collect(q, range, windows);
    if (data.observations === 0) {
      notes.push(
        `the reference window ${iso(range.startMs)} – ${iso(range.endMs)} holds no observations of the model, so no feature could be ` +
          'evaluated: choose reference=window:<start>/<end> or upload a training profile (POST /api/models/{model}/reference)',
      );
    }
    if (!data.complete)
      notes.push(
        `the reference window has more than ${this.deps.settings.maxRawSpans} spans outside whole buckets: the newest ones were used`,
      );
    return { dataset: data.dataset, side: sideJson(data) };
  }
}

/** The dataset reduced to one feature, when the query names one (a report of 1 feature, not 50). */
function only(dataset: DriftDataset, feature: string | undefined): DriftDataset {
  if (feature === undefined) return dataset;
  const data = dataset[feature];
  return data === undefined ? {} : { [feature]: data };
}

function referenceJson(ref: ResolvedReference): ReferenceJson {
  switch (ref.kind) {
    case 'training':
      return {
        kind: 'training',
        from: ref.from,
        version: ref.profile.version === '' ? null : ref.profile.version,
        uploadedAt: iso(ref.profile.createdMs),
      };
    case 'slice':
      return { kind: 'slice', from: ref.from, value: ref.value };
    default:
      return { kind: ref.kind, from: ref.from, start: ref.range.startMs, end: ref.range.endMs };
  }
}

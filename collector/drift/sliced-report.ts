import { AppError } from '../../shared/errors.js';
import { driftReport } from './report/drift-report.js';
import type { DriftDataset } from './report/feature-data.js';
import { reportJson, type ReportJson, type SliceJson } from './drift-json.js';
import type { DriftQuery } from './drift-query.js';
import type { DriftService } from './drift-service.js';
import { exemplarTargets, type ExemplarTarget } from './exemplars.js';
import { RawColumns } from './raw-columns.js';
import type { ResolvedReference } from './references/reference-resolution.js';
import { rowSlices, SliceCollector, type SliceValue } from './slices.js';
import { datasetFromColumns, type TimeRange, type WindowData } from './window-data.js';

/**
 * A drift report split by the values of one attribute key, from raw values of the window (at most
 * `maxRawSpans` spans per side, newest first). Each slice is compared with:
 * - the same slice of the reference window (previous / window:), or the training profile;
 * - with `reference=slice:<v>`: slice v of the current window itself — e.g.
 *   `slice=ml.model.version&reference=slice:1` compares each other version (a canary) with version 1
 *   over the same hours, and the overall report then compares every other slice together with v.
 * The `maxSlices` slices with the most observations are reported; `omitted` counts the rest.
 */
export interface SlicedResult {
  overall: ReportJson;
  slices: SliceJson[];
  omitted: number;
  targets: ExemplarTarget[];
  notes: string[];
}

const NS = 1_000_000n;

async function collectSlices(service: DriftService, q: DriftQuery, key: string, range: TimeRange, exclude?: string) {
  const { settings } = service.deps;
  const collector = new SliceCollector(key, settings.maxFeatures);
  const others = new RawColumns(settings.maxFeatures);
  const version = q.version === undefined ? {} : { version: q.version };
  const result = await service.spans.scanModelSpans(
    { model: q.model, ...version, startNano: BigInt(range.startMs) * NS, endNano: BigInt(range.endMs) * NS },
    settings.maxRawSpans,
    (span) => {
      collector.addSpan(span);
      if (exclude === undefined) return;
      for (const [value, rows] of rowSlices(span, key)) if (value !== exclude) others.addSpan(span.attributes, rows);
    },
  );
  return { collector, others, complete: result.complete };
}

function sliceJson(
  value: SliceValue,
  reference: DriftDataset,
  current: RawColumns,
  referenceObservations: number,
  service: DriftService,
): SliceJson {
  const report = driftReport({
    reference,
    current: datasetFromColumns(current),
    options: service.deps.reportOptions ?? {},
  });
  return { value, observations: current.observations, referenceObservations, ...reportJson(report) };
}

export async function slicedReports(
  service: DriftService,
  q: DriftQuery,
  key: string,
  ref: ResolvedReference,
  referenceDataset: DriftDataset | undefined,
  current: WindowData,
): Promise<SlicedResult> {
  const { settings } = service.deps;
  const notes: string[] = [];
  const exclude = ref.kind === 'slice' ? ref.value : undefined;
  const cur = await collectSlices(service, q, key, q.range, exclude);
  if (!cur.complete)
    notes.push(`slices: the current window has more than ${settings.maxRawSpans} spans; the newest ones were used`);
  if (cur.collector.overflowSpans > 0)
    notes.push(`slices: ${key} has more than 1000 values; spans with further values were left out`);

  if (ref.kind === 'slice') {
    const refGroup = cur.collector.groups.get(ref.value);
    if (refGroup === undefined) {
      const seen = [...cur.collector.groups.keys()].slice(0, 10).map((v) => (v === null ? '(absent)' : v));
      throw new AppError(
        'reference_not_found',
        `no span of model "${q.model}" in the window has ${key} = "${ref.value}", so it cannot be the reference slice; values seen: ${seen.join(', ') || 'none'}`,
      );
    }
    const refDataset = datasetFromColumns(refGroup.columns);
    const overall = reportJson(
      driftReport({
        reference: refDataset,
        current: datasetFromColumns(cur.others),
        options: service.deps.reportOptions ?? {},
      }),
    );
    const rest = [...cur.collector.groups.values()].filter((g) => g.value !== ref.value);
    const top = [...rest].sort((a, b) => b.columns.observations - a.columns.observations).slice(0, settings.maxSlices);
    const slices = top.map((g) => sliceJson(g.value, refDataset, g.columns, refGroup.columns.observations, service));
    const targets = [
      ...exemplarTargets(overall.features, { key, value: ref.value, exclude: true }),
      ...slices.flatMap((s) => exemplarTargets(s.features, { key, value: s.value })),
    ];
    return { overall, slices, omitted: rest.length - top.length, targets, notes };
  }

  const overall = reportJson(
    driftReport({
      reference: referenceDataset ?? {},
      current: current.dataset,
      options: service.deps.reportOptions ?? {},
    }),
  );
  let refGroups: SliceCollector | undefined;
  if (ref.kind !== 'training') {
    const r = await collectSlices(service, q, key, ref.range);
    refGroups = r.collector;
    if (!r.complete)
      notes.push(`slices: the reference window has more than ${settings.maxRawSpans} spans; the newest ones were used`);
  }
  const { groups, omitted } = cur.collector.top(settings.maxSlices);
  const slices = groups.map((g) => {
    if (refGroups === undefined) return sliceJson(g.value, referenceDataset ?? {}, g.columns, 0, service);
    const refColumns = refGroups.groups.get(g.value)?.columns;
    if (refColumns === undefined)
      notes.push(`slice ${key} = ${String(g.value)} has no observations in the reference window: its features are new`);
    return sliceJson(
      g.value,
      refColumns === undefined ? {} : datasetFromColumns(refColumns),
      g.columns,
      refColumns?.observations ?? 0,
      service,
    );
  });
  if (ref.kind === 'training') {
    const rows = ref.profile.rows;
    for (const s of slices) s.referenceObservations = rows;
  }
  const targets = [
    ...exemplarTargets(overall.features),
    ...slices.flatMap((s) => exemplarTargets(s.features, { key, value: s.value })),
  ];
  return { overall, slices, omitted, targets, notes };
}

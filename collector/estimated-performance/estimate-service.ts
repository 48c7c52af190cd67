import { AppError } from '../../shared/errors.js';
import type { TimeRange } from '../drift/window-data.js';
import type { WindowSpanSource } from '../drift/window-spans.js';
import type { FeedbackStore } from '../feedback/feedback-store.js';
import { isCorrect } from '../feedback/performance-metrics.js';
import { calibration, estimateAccuracy, outsideInterval, type AccuracyEstimate, type Calibration } from './cbpe.js';
import { probabilityRows, probabilityShape, type ProbabilityShape } from './class-probabilities.js';

/**
 * Estimated accuracy before labels, beside the realised accuracy once they join (cbpe.ts). One scan
 * of the window's stored SERVER spans gives each row's confidence (class-probabilities.ts); the
 * joined feedback of the window gives the labels, matched to rows by trace id and row. Per step
 * (or over the whole window): the estimate on every prediction, the estimate on the labelled ones,
 * the realised accuracy on those, and the concept-drift flag when it falls outside that interval
 * (with at least MIN_LABELS labels). Calibration is checked on the reference window's labels.
 */
export const MIN_LABELS = 10;

export interface EstimateQuery {
  model: string;
  version?: string;
  range: TimeRange;
  reference: TimeRange;
  stepMs?: number;
  /** The probability output's name (without `output.`); default: detected. */
  output?: string;
}

export interface StepEstimate {
  start: number;
  end: number;
  estimated: AccuracyEstimate;
  labelled: { count: number; expected: AccuracyEstimate; realised: number | null };
  conceptDrift: boolean;
}

export interface EstimateAnswer {
  model: string;
  version: string | null;
  window: { start: number; end: number };
  output: string;
  kind: ProbabilityShape['kind'];
  overall: StepEstimate;
  step: number | null;
  series: StepEstimate[];
  calibration: Calibration & { reference: { start: number; end: number } };
  notes: string[];
}

export interface EstimateDeps {
  spans: WindowSpanSource;
  feedback: Pick<FeedbackStore, 'scan'>;
  maxRawSpans: number;
}

interface Row {
  ms: number;
  confidence: number;
  correct?: boolean;
}

const NS = 1_000_000n;

export class EstimateService {
  constructor(private readonly deps: EstimateDeps) {}

  /** Rows of a window with their confidence and, when labelled, whether the prediction was right. */
  async rows(
    q: Pick<EstimateQuery, 'model' | 'version' | 'output'>,
    range: TimeRange,
  ): Promise<{ rows: Row[]; shape?: ProbabilityShape; complete: boolean }> {
    const byKey = new Map<string, Row>();
    let shape: ProbabilityShape | undefined;
    const version = q.version === undefined ? {} : { version: q.version };
    const result = await this.deps.spans.scanModelSpans(
      { model: q.model, ...version, startNano: BigInt(range.startMs) * NS, endNano: BigInt(range.endMs) * NS },
      this.deps.maxRawSpans,
      (span) => {
        const s = probabilityShape(span.attributes, q.output);
        if (s === undefined) return;
        shape ??= s;
        const ms = Number(span.startNano / NS);
        // Newest first: an earlier span of the same trace (the outer call, as feedback joins) wins.
        for (const r of probabilityRows(span.attributes, s))
          byKey.set(`${span.traceId}:${r.row}`, { ms, confidence: r.confidence });
      },
    );
    for (const f of this.deps.feedback.scan({ model: q.model, ...version, fromMs: range.startMs, toMs: range.endMs })) {
      if (f.truth.kind !== 'label') continue;
      const row = byKey.get(`${f.traceId}:${f.row}`);
      if (row !== undefined) row.correct = isCorrect(f.prediction, f.truth.label);
    }
    return { rows: [...byKey.values()], ...(shape ? { shape } : {}), complete: result.complete };
  }

  async estimate(q: EstimateQuery): Promise<EstimateAnswer> {
    const current = await this.rows(q, q.range);
    if (current.shape === undefined) {
      throw new AppError(
        'no_observations',
        `no captured class probabilities of model "${q.model}" between ${new Date(q.range.startMs).toISOString()} and ${new Date(q.range.endMs).toISOString()}: ` +
          (q.output === undefined
            ? 'no output whose name contains "prob" was found; name it with output=<name>'
            : `no output "output.${q.output}" (or its columns .0, .1, …) was found`),
      );
    }
    const notes: string[] = [];
    if (!current.complete)
      notes.push(`the window has more than ${this.deps.maxRawSpans} spans: the newest ones were used`);
    const reference = await this.rows({ ...q, output: current.shape.output.slice('output.'.length) }, q.reference);
    const refLabelled = reference.rows.filter((r) => r.correct !== undefined) as Required<Row>[];
    const cal = calibration(refLabelled);
    if (cal.labelled === 0)
      notes.push(
        'the reference window has no labelled predictions: calibration cannot be checked (send feedback, or choose reference=window:<start>/<end>)',
      );
    else if (cal.trustworthy === false)
      notes.push(
        `the probabilities were not calibrated on the reference (ECE ${cal.ece!.toFixed(3)} > 0.05): the estimate is biased`,
      );
    const series: StepEstimate[] = [];
    if (q.stepMs !== undefined) {
      for (let start = q.range.startMs; start < q.range.endMs; start += q.stepMs) {
        const end = Math.min(q.range.endMs, start + q.stepMs);
        series.push(
          stepEstimate(
            start,
            end,
            current.rows.filter((r) => r.ms >= start && r.ms < end),
          ),
        );
      }
    }
    return {
      model: q.model,
      version: q.version ?? null,
      window: { start: q.range.startMs, end: q.range.endMs },
      output: current.shape.output,
      kind: current.shape.kind,
      overall: stepEstimate(q.range.startMs, q.range.endMs, current.rows),
      step: q.stepMs ?? null,
      series,
      calibration: { ...cal, reference: { start: q.reference.startMs, end: q.reference.endMs } },
      notes,
    };
  }
}

export function stepEstimate(start: number, end: number, rows: readonly Row[]): StepEstimate {
  const labelled = rows.filter((r) => r.correct !== undefined);
  const expected = estimateAccuracy(labelled.map((r) => r.confidence));
  const realised = labelled.length === 0 ? null : labelled.filter((r) => r.correct).length / labelled.length;
  return {
    start,
    end,
    estimated: estimateAccuracy(rows.map((r) => r.confidence)),
    labelled: { count: labelled.length, expected, realised },
    conceptDrift: realised !== null && labelled.length >= MIN_LABELS && outsideInterval(realised, expected),
  };
}

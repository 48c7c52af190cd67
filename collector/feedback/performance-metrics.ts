import type { FeedbackRecord, SliceValue } from './feedback-types.js';

/**
 * Model quality from joined feedback (pure). Classification: accuracy = correct / scored, where a
 * prediction is correct when it equals the label as text (so class 1 matches prediction "1", but
 * true does not match 1). Regression: MAE = mean |prediction − value|, RMSE = √(mean (prediction −
 * value)²), over records whose prediction is a number (or numeric text). Records whose prediction
 * is missing or of the wrong kind are counted as `unscored`, never as wrong.
 */
export interface ScoreAccumulator {
  labelled: number;
  correct: number;
  valued: number;
  absErrorSum: number;
  squaredErrorSum: number;
  unscored: number;
  /** The labels and values themselves, for label drift. */
  labels: string[];
  values: number[];
}

interface ClassificationScore {
  count: number;
  correct: number;
  accuracy: number;
}

interface RegressionScore {
  count: number;
  mae: number;
  rmse: number;
}

export interface Score {
  count: number;
  unscored: number;
  classification: ClassificationScore | null;
  regression: RegressionScore | null;
}

export function newAccumulator(): ScoreAccumulator {
  return {
    labelled: 0,
    correct: 0,
    valued: 0,
    absErrorSum: 0,
    squaredErrorSum: 0,
    unscored: 0,
    labels: [],
    values: [],
  };
}

export function numericPrediction(p: SliceValue | null): number | undefined {
  if (typeof p === 'number') return Number.isFinite(p) ? p : undefined;
  if (typeof p === 'string' && p.trim() !== '') {
    const n = Number(p);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

export function isCorrect(prediction: SliceValue | null, label: SliceValue): boolean {
  return prediction !== null && String(prediction) === String(label);
}

export function addRecord(acc: ScoreAccumulator, r: Pick<FeedbackRecord, 'prediction' | 'truth'>): void {
  if (r.truth.kind === 'label') {
    acc.labels.push(String(r.truth.label));
    if (r.prediction === null) {
      acc.unscored += 1;
      return;
    }
    acc.labelled += 1;
    if (isCorrect(r.prediction, r.truth.label)) acc.correct += 1;
    return;
  }
  acc.values.push(r.truth.value);
  const p = numericPrediction(r.prediction);
  if (p === undefined) {
    acc.unscored += 1;
    return;
  }
  const error = p - r.truth.value;
  acc.valued += 1;
  acc.absErrorSum += Math.abs(error);
  acc.squaredErrorSum += error * error;
}

export function score(acc: ScoreAccumulator): Score {
  return {
    count: acc.labelled + acc.valued,
    unscored: acc.unscored,
    classification:
      acc.labelled === 0 ? null : { count: acc.labelled, correct: acc.correct, accuracy: acc.correct / acc.labelled },
    regression:
      acc.valued === 0
        ? null
        : { count: acc.valued, mae: acc.absErrorSum / acc.valued, rmse: Math.sqrt(acc.squaredErrorSum / acc.valued) },
  };
}

/** Scores a list of records at once. */
export function scoreRecords(records: Iterable<Pick<FeedbackRecord, 'prediction' | 'truth'>>): Score {
  const acc = newAccumulator();
  for (const r of records) addRecord(acc, r);
  return score(acc);
}

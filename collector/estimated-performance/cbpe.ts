/**
 * Confidence-based performance estimation (CBPE, as NannyML calls it; pure). If the model's
 * probabilities are calibrated, a prediction made with confidence c is right with probability c,
 * so the accuracy expected on n predictions is the mean confidence, and — each prediction being
 * an independent Bernoulli(cᵢ) — its variance is Σ cᵢ(1 − cᵢ) / n². The interval is the normal
 * one, mean ± 1.96 · sd (95 %), clipped to [0, 1].
 *
 * Concept drift: the realised accuracy on the labelled predictions falls outside the interval
 * expected for those same predictions — the probabilities no longer mean what they did (the
 * input–output relationship changed), which the estimate alone cannot see.
 *
 * Calibration: labelled predictions of the reference in 10 equal confidence bins ([0, 0.1), …,
 * [0.9, 1]); per bin the expected (mean confidence) and the observed accuracy; the expected
 * calibration error ECE = Σ (n_b / N) · |expected_b − observed_b|. The estimate is called
 * trustworthy when ECE ≤ 0.05 with at least 30 labelled predictions.
 */
export const Z95 = 1.959963984540054;
const CALIBRATION_BINS = 10;
const MAX_ECE = 0.05;
const MIN_CALIBRATION_LABELS = 30;

export interface AccuracyEstimate {
  count: number;
  accuracy: number | null;
  low: number | null;
  high: number | null;
}

export function estimateAccuracy(confidences: readonly number[]): AccuracyEstimate {
  const n = confidences.length;
  if (n === 0) return { count: 0, accuracy: null, low: null, high: null };
  let sum = 0;
  let variance = 0;
  for (const c of confidences) {
    sum += c;
    variance += c * (1 - c);
  }
  const mean = sum / n;
  const half = (Z95 * Math.sqrt(variance)) / n;
  return { count: n, accuracy: mean, low: Math.max(0, mean - half), high: Math.min(1, mean + half) };
}

/** Whether a realised accuracy lies outside the estimate's interval. */
export function outsideInterval(realised: number, estimate: AccuracyEstimate): boolean {
  return estimate.low !== null && estimate.high !== null && (realised < estimate.low || realised > estimate.high);
}

interface CalibrationBin {
  lower: number;
  upper: number;
  count: number;
  expected: number | null;
  observed: number | null;
}

export interface Calibration {
  labelled: number;
  bins: CalibrationBin[];
  ece: number | null;
  trustworthy: boolean | null;
}

export function calibration(rows: readonly { confidence: number; correct: boolean }[]): Calibration {
  const sums = Array.from({ length: CALIBRATION_BINS }, () => ({ count: 0, confidence: 0, correct: 0 }));
  for (const r of rows) {
    const b = sums[Math.min(CALIBRATION_BINS - 1, Math.floor(r.confidence * CALIBRATION_BINS))]!;
    b.count += 1;
    b.confidence += r.confidence;
    if (r.correct) b.correct += 1;
  }
  const bins = sums.map((b, i): CalibrationBin => ({
    lower: i / CALIBRATION_BINS,
    upper: (i + 1) / CALIBRATION_BINS,
    count: b.count,
    expected: b.count > 0 ? b.confidence / b.count : null,
    observed: b.count > 0 ? b.correct / b.count : null,
  }));
  const n = rows.length;
  const ece =
    n === 0
      ? null
      : bins.reduce((s, b) => s + (b.count > 0 ? (b.count / n) * Math.abs(b.expected! - b.observed!) : 0), 0);
  return { labelled: n, bins, ece, trustworthy: ece === null || n < MIN_CALIBRATION_LABELS ? null : ece <= MAX_ECE };
}

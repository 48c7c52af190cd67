import { ML } from '../../shared/attribute-keys.js';
import type { Attributes } from '../../shared/span-record.js';
import { cellAt, rowCount } from '../drift/cells.js';

/**
 * The predicted class probabilities of a captured call, per row (pure). Which output holds them:
 * the one named (`output=` / the caller's choice, without `ml.output.`), else the first output by
 * name that contains "prob" (probability, probabilities, predict_proba…). Two shapes:
 * - binary: one number in [0, 1] per row — the probability of the positive class; the predicted
 *   class is 1 when p ≥ 0.5 and the confidence is max(p, 1 − p);
 * - multiclass: columns `<name>.0`, `<name>.1`, … (how the sidecar records a tensor with several
 *   columns), one probability per class; the prediction is the top class and the confidence its
 *   probability.
 * Rows whose values are not all finite numbers in [0, 1] are left out.
 */
export interface ProbabilityRow {
  row: number;
  confidence: number;
  predicted: number;
}

export interface ProbabilityShape {
  output: string;
  kind: 'binary' | 'multiclass';
  /** Attribute keys: one (binary) or one per class, in class order. */
  keys: string[];
}

const COLUMN = /^(.*)\.(\d+)$/;

export function probabilityShape(attributes: Attributes, preferred?: string): ProbabilityShape | undefined {
  const outputs = Object.keys(attributes)
    .filter((k) => k.startsWith(ML.outputPrefix))
    .map((k) => k.slice(ML.outputPrefix.length))
    .sort();
  const columns = (base: string): string[] =>
    outputs
      .map((o) => COLUMN.exec(o))
      .filter((m): m is RegExpExecArray => m !== null && m[1] === base)
      .sort((a, b) => Number(a[2]) - Number(b[2]))
      .map((m) => ML.outputPrefix + m[0]);
  const shapeOf = (name: string): ProbabilityShape | undefined => {
    if (outputs.includes(name)) return { output: `output.${name}`, kind: 'binary', keys: [ML.outputPrefix + name] };
    const cols = columns(name);
    return cols.length >= 2 ? { output: `output.${name}`, kind: 'multiclass', keys: cols } : undefined;
  };
  if (preferred !== undefined) return shapeOf(preferred);
  for (const o of outputs) {
    const m = COLUMN.exec(o);
    const name = m === null ? o : m[1]!;
    if (/prob/i.test(name)) {
      const shape = shapeOf(name);
      if (shape !== undefined) return shape;
    }
  }
  return undefined;
}

const isProbability = (v: unknown): v is number => typeof v === 'number' && v >= 0 && v <= 1;

export function probabilityRows(attributes: Attributes, shape: ProbabilityShape): ProbabilityRow[] {
  const values = shape.keys.map((k) => attributes[k]);
  const firstArray = values.find((v) => Array.isArray(v));
  const rows = rowCount(attributes[ML.batchSize], Array.isArray(firstArray) ? firstArray.length : undefined);
  const out: ProbabilityRow[] = [];
  for (let r = 0; r < rows; r++) {
    const ps = values.map((v) => cellAt(v, r));
    if (!ps.every(isProbability)) continue;
    const probs = ps as number[];
    if (shape.kind === 'binary') {
      const p = probs[0]!;
      out.push({ row: r, confidence: Math.max(p, 1 - p), predicted: p >= 0.5 ? 1 : 0 });
    } else {
      let best = 0;
      for (let i = 1; i < probs.length; i++) if (probs[i]! > probs[best]!) best = i;
      out.push({ row: r, confidence: probs[best]!, predicted: best });
    }
  }
  return out;
}

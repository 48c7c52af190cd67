import { DEFAULT_DRIFT_OPTIONS } from '../drift/report/drift-options.js';
import { featureDrift, type FeatureDrift } from '../drift/report/feature-drift.js';
import type { ScoreAccumulator } from './performance-metrics.js';

/**
 * Label drift (pure): the distribution of the true labels (or regression values) of a window
 * against a reference window, with the drift statistics of collector/drift/statistics and their
 * default methods — labels are categorical (chi-square p < 0.05 up to 1000 reference labels, else
 * Jensen-Shannon distance ≥ 0.1); regression values are numeric (KS p < 0.05, else Wasserstein /
 * std ≥ 0.1). Every statistic of the type is in `statistics`; `topMovedBins` says where labels went.
 * Undefined when either side has no labels of that kind.
 */
export interface LabelDrift {
  labels?: FeatureDrift;
  values?: FeatureDrift;
}

export function labelDrift(reference: ScoreAccumulator, current: ScoreAccumulator): LabelDrift | undefined {
  const out: LabelDrift = {};
  if (reference.labels.length > 0 && current.labels.length > 0) {
    out.labels = featureDrift(
      'label',
      { type: 'categorical', values: reference.labels },
      { type: 'categorical', values: current.labels },
      DEFAULT_DRIFT_OPTIONS,
    );
  }
  if (reference.values.length > 0 && current.values.length > 0) {
    out.values = featureDrift(
      'value',
      { type: 'numeric', values: reference.values },
      { type: 'numeric', values: current.values },
      DEFAULT_DRIFT_OPTIONS,
    );
  }
  return out.labels === undefined && out.values === undefined ? undefined : out;
}

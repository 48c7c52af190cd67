/**
 * driftReport({ reference, current, options }): the drift of every feature and of the dataset.
 * Features are those of either dataset, sorted by name. Dataset drift: drifted / evaluated features
 * ≥ options.driftShare (default 0.5); features that could not be evaluated (new in the current
 * window, or with no reference values) are listed with their flags but do not count.
 * Pure: data in, report out. Slicing (per client, region, version…) is the caller's: build one
 * dataset per slice and call this once per slice.
 */
import { resolveDriftOptions, type DriftOptions, type ResolvedDriftOptions } from './drift-options.js';
import type { DriftDataset } from './feature-data.js';
import { featureDrift, type FeatureDrift } from './feature-drift.js';

export interface DriftReport {
  features: FeatureDrift[];
  datasetDrift: boolean;
  driftedShare: number;
  driftedCount: number;
  evaluatedCount: number;
  options: ResolvedDriftOptions;
}

export interface DriftReportInput {
  reference: DriftDataset;
  current: DriftDataset;
  options?: DriftOptions;
}

export function driftReport({ reference, current, options }: DriftReportInput): DriftReport {
  const o = resolveDriftOptions(options);
  const names = [...new Set([...Object.keys(reference), ...Object.keys(current)])].sort();
  const features = names.map((name) => featureDrift(name, reference[name], current[name], o));
  const evaluated = features.filter((f) => f.evaluated);
  const drifted = evaluated.filter((f) => f.drifted);
  const driftedShare = evaluated.length > 0 ? drifted.length / evaluated.length : 0;
  return {
    features,
    datasetDrift: evaluated.length > 0 && driftedShare >= o.driftShare,
    driftedShare,
    driftedCount: drifted.length,
    evaluatedCount: evaluated.length,
    options: o,
  };
}

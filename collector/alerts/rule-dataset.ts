import { DATASET_PARAMETERS, parseDatasetQuery, type RawDatasetQuery } from '../datasets/dataset-query.js';
import type { AlertDataset } from './alert-rule.js';

/**
 * The `dataset` of a rule: a map of dataset parameters (those of `GET /api/datasets/{model}`,
 * plus `model`, which defaults to the rule's model), e.g.
 *
 *   dataset: { labeled: only, drift: drop, window: 30d, format: parquet }
 *
 * Checked as the API would check it, so a rule with a dataset the API refuses does not load.
 */
export function parseRuleDataset(
  raw: unknown,
  ruleModel: string | undefined,
  at: string,
  problems: string[],
): AlertDataset | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push(`${at}.dataset must be a map of dataset parameters, e.g. {labeled: only, drift: drop}`);
    return undefined;
  }
  const parameters: [string, string][] = [];
  let model = ruleModel;
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const values = Array.isArray(value) && key === 'slice' ? value : [value];
    if (!values.every((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) {
      problems.push(`${at}.dataset.${key} must be text${key === 'slice' ? ' or a list of key=value texts' : ''}`);
      continue;
    }
    if (key === 'model') model = String(value);
    else if ((DATASET_PARAMETERS as readonly string[]).includes(key))
      for (const v of values) parameters.push([key, String(v)]);
    else
      problems.push(
        `${at}.dataset.${key} is not a dataset parameter; they are model, ${DATASET_PARAMETERS.join(', ')}`,
      );
  }
  if (model === undefined) {
    problems.push(`${at}.dataset.model is required when the rule names no model`);
    return undefined;
  }
  const query: RawDatasetQuery = {};
  for (const [k, v] of parameters) {
    const had = query[k as keyof RawDatasetQuery];
    query[k as keyof RawDatasetQuery] = had === undefined ? v : [...(Array.isArray(had) ? had : [had]), v];
  }
  const checked = parseDatasetQuery(model, query, Date.now());
  if (!checked.ok) problems.push(`${at}.dataset: ${checked.message}`);
  return { model, parameters };
}

/** The dataset in the rule's external shape (what parseRuleDataset reads). */
export function datasetJson(dataset: AlertDataset): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = { model: dataset.model };
  for (const [k, v] of dataset.parameters) {
    const had = out[k];
    out[k] = had === undefined ? v : [...(Array.isArray(had) ? had : [had]), v];
  }
  return out;
}

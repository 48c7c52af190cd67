import { ML } from '../../shared/attribute-keys.js';

/**
 * Names of features in drift reports: the span attribute without its `ml.` prefix, so inputs and
 * outputs never collide — `ml.input.age` is the feature `input.age`, `ml.output.label` is
 * `output.label`.
 */
export type FeatureGroup = 'input' | 'output';

const INPUT_PREFIX = 'input.';
const OUTPUT_PREFIX = 'output.';

/** The feature of a span attribute key, or undefined when the key is not `ml.input.*` / `ml.output.*`. */
export function featureOfAttribute(key: string): string | undefined {
  if (key.startsWith(ML.inputPrefix)) return key.length > ML.inputPrefix.length ? key.slice(3) : undefined;
  if (key.startsWith(ML.outputPrefix)) return key.length > ML.outputPrefix.length ? key.slice(3) : undefined;
  return undefined;
}

/** The span attribute key of a feature: `input.age` → `ml.input.age`. */
export function attributeOfFeature(feature: string): string {
  return `ml.${feature}`;
}

export function groupOf(feature: string): FeatureGroup {
  return feature.startsWith(OUTPUT_PREFIX) ? 'output' : 'input';
}

/**
 * The feature a column of an uploaded reference describes: `output.<name>` / `input.<name>` (with
 * or without `ml.`) as written; any other header is an input, `age` → `input.age`. Training data's
 * label column therefore needs the header `output.<prediction name>` to be compared with
 * predictions. Undefined for an empty name.
 */
export function featureOfColumn(column: string): string | undefined {
  const name = column.trim();
  if (name === '') return undefined;
  const bare = name.startsWith('ml.') ? name.slice(3) : name;
  if (bare.startsWith(INPUT_PREFIX) || bare.startsWith(OUTPUT_PREFIX)) {
    return featureOfAttribute(`ml.${bare}`);
  }
  return INPUT_PREFIX + name;
}

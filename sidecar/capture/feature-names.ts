import { isRecord, type SectionReader } from './privacy/rules-file.js';
import type { Feature } from './extraction.js';

/**
 * Per-model feature-name lists: columns of tensors that came without names (`<tensor>.<i>`) get
 * the names the model was trained with. A list applies to the first unnamed tensor; a mapping
 * names the tensor it applies to. A tensor with a single column is renamed by a one-name list.
 */
export type ColumnNames = readonly string[] | Readonly<Record<string, readonly string[]>>;

export interface ModelNames {
  readonly inputs?: ColumnNames;
  readonly outputs?: ColumnNames;
}

/** Keyed by model name; `*` applies to a model with no entry of its own (or no known name). */
export type ModelNameTable = Readonly<Record<string, ModelNames>>;

export function namesForModel(table: ModelNameTable, model: string | undefined): ModelNames | undefined {
  const own = (key: string): ModelNames | undefined => (Object.hasOwn(table, key) ? table[key] : undefined);
  return (model !== undefined ? own(model) : undefined) ?? own('*');
}

export function renameColumns(features: readonly Feature[], names: ColumnNames): Feature[] {
  const listFor = (tensor: string, firstTensor: string | undefined): readonly string[] | undefined =>
    Array.isArray(names)
      ? tensor === firstTensor
        ? names
        : undefined
      : (names as Record<string, readonly string[]>)[tensor];
  const firstTensor =
    features.find((f) => f.position)?.position?.tensor ?? (features.length === 1 ? features[0]?.name : undefined);
  return features.map((f) => {
    const list = listFor(f.position?.tensor ?? f.name, firstTensor);
    if (list === undefined) return f;
    const renamed = f.position ? list[f.position.column] : list.length === 1 ? list[0] : undefined;
    return renamed === undefined ? f : { name: renamed, values: f.values };
  });
}

function parseNames(r: SectionReader, raw: unknown, path: (string | number)[]): ColumnNames | undefined {
  const isList = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string' && s !== '');
  if (isList(raw)) return Object.freeze([...raw]);
  if (isRecord(raw) && Object.values(raw).every(isList)) return Object.freeze({ ...(raw as Record<string, string[]>) });
  r.problem(path, 'feature names must be a list of names, or a mapping from tensor name to a list of names');
  return undefined;
}

/** Reads the `models` section of the rules file. */
export function parseModelsSection(r: SectionReader, raw: unknown): ModelNameTable {
  if (raw === undefined) return {};
  if (!isRecord(raw)) {
    r.problem(['models'], 'models must be a mapping from model name to { inputs, outputs }');
    return {};
  }
  const table: Record<string, ModelNames> = {};
  for (const [model, entry] of Object.entries(raw)) {
    if (!isRecord(entry)) {
      r.problem(['models', model], `models.${model} must be a mapping with inputs and/or outputs`);
      continue;
    }
    r.onlyKeys(entry, ['models', model], ['inputs', 'outputs'], `models.${model}`);
    const names: { inputs?: ColumnNames; outputs?: ColumnNames } = {};
    for (const side of ['inputs', 'outputs'] as const) {
      if (entry[side] === undefined) continue;
      const parsed = parseNames(r, entry[side], ['models', model, side]);
      if (parsed) names[side] = parsed;
    }
    table[model] = Object.freeze(names);
  }
  return Object.freeze(table);
}

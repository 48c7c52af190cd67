import { ML } from '../../shared/attribute-keys.js';
import type { Attributes, AttributeValue } from '../../shared/span-record.js';
import { cellAt, rowCount, type Cell } from '../drift/cells.js';
import { featureOfAttribute, groupOf } from '../drift/feature-key.js';

/**
 * The (input, output) rows of one captured call, as the relationship summaries see them (pure):
 * every output with every input, outputs outermost (the order pairs are created in, so under the
 * pair cap an output's pairs come first), and per row of the call the input's and the output's
 * value of that row (drift's cells: a number, a category, or null for missing). A row a capture did
 * not keep, or a value inside a row that is an array or object, is no observation. Spans without
 * both an input and an output give nothing.
 */
export type PairVisitor = (input: string, output: string, x: Cell, y: Cell, row: number) => void;

interface CapturedSides {
  inputs: [feature: string, attribute: string][];
  outputs: [feature: string, attribute: string][];
  rows: number;
}

function capturedSides(attributes: Attributes): CapturedSides {
  const inputs: [string, string][] = [];
  const outputs: [string, string][] = [];
  let firstArrayLength: number | undefined;
  for (const key in attributes) {
    const feature = featureOfAttribute(key);
    if (feature === undefined) continue;
    const value = attributes[key];
    if (Array.isArray(value)) firstArrayLength ??= value.length;
    (groupOf(feature) === 'output' ? outputs : inputs).push([feature, key]);
  }
  return { inputs, outputs, rows: rowCount(attributes[ML.batchSize], firstArrayLength) };
}

/** Visits every (input, output) pair of the call once, with both attribute values and the call's rows. */
function forEachPair(
  attributes: Attributes,
  visit: (
    input: string,
    output: string,
    xValue: AttributeValue | undefined,
    yValue: AttributeValue | undefined,
    rows: number,
  ) => void,
): void {
  const { inputs, outputs, rows } = capturedSides(attributes);
  if (inputs.length === 0) return;
  for (const [output, outKey] of outputs) {
    for (const [input, inKey] of inputs) visit(input, output, attributes[inKey], attributes[outKey], rows);
  }
}

/** Visits every (input, output, row) of the call; `onlyRows` restricts the rows (e.g. a slice's). */
export function forEachPairRow(attributes: Attributes, visit: PairVisitor, onlyRows?: readonly number[]): void {
  forEachPair(attributes, (input, output, xv, yv, rows) => {
    const count = onlyRows === undefined ? rows : onlyRows.length;
    for (let k = 0; k < count; k++) {
      const r = onlyRows === undefined ? k : onlyRows[k]!;
      if (r >= rows) continue;
      const x = cellAt(xv, r);
      const y = cellAt(yv, r);
      if (x !== undefined && y !== undefined) visit(input, output, x, y, r);
    }
  });
}

import { ML } from '../../shared/attribute-keys.js';
import type { AttributeValue } from '../../shared/span-record.js';
import { sliceAttribute, type CapturedSpan } from './captured-span.js';
import { cellText, toCell } from './cells.js';
import { RawColumns } from './raw-columns.js';

/**
 * Splits a window's spans by the value of one attribute key: a span attribute (`client.address`,
 * `ml.model.version`), a resource attribute (`k8s.namespace.name`), `service.name`, or a feature
 * (`ml.input.country`), whose rows of a batch may fall in different slices. A span without the
 * attribute falls in the slice `null`. Values are compared as text (numbers and booleans printed).
 */
export type SliceValue = string | null;

export interface SliceGroup {
  value: SliceValue;
  columns: RawColumns;
}

/** Hard cap on distinct values collected before the most frequent `maxSlices` are kept. */
const MAX_COLLECTED_SLICES = 1_000;

const isFeatureKey = (key: string): boolean => key.startsWith(ML.inputPrefix) || key.startsWith(ML.outputPrefix);

/** The slice value of each row of a span (one value for all rows unless the key is a batch feature). */
export function rowSlices(span: CapturedSpan, key: string): Map<SliceValue, number[] | undefined> {
  const value: AttributeValue | undefined = sliceAttribute(span, key);
  if (isFeatureKey(key) && Array.isArray(value)) {
    const out = new Map<SliceValue, number[]>();
    value.forEach((v, row) => {
      const text = cellText(toCell(v));
      const rows = out.get(text);
      if (rows === undefined) out.set(text, [row]);
      else rows.push(row);
    });
    // Rows past the captured values (a truncated batch) have no known slice: left out.
    return out;
  }
  const text =
    value === undefined || value === null ? null : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return new Map([[text, undefined]]);
}

export class SliceCollector {
  readonly groups = new Map<SliceValue, SliceGroup>();
  /** Spans (or rows) whose value came after MAX_COLLECTED_SLICES distinct values. */
  overflowSpans = 0;

  constructor(
    private readonly key: string,
    private readonly maxFeatures: number,
  ) {}

  addSpan(span: CapturedSpan): void {
    for (const [value, rows] of rowSlices(span, this.key)) {
      let group = this.groups.get(value);
      if (group === undefined) {
        if (this.groups.size >= MAX_COLLECTED_SLICES) {
          this.overflowSpans += 1;
          continue;
        }
        group = { value, columns: new RawColumns(this.maxFeatures) };
        this.groups.set(value, group);
      }
      group.columns.addSpan(span.attributes, rows);
    }
  }

  /** The `max` groups with the most observations (ties by value), and how many were left out. */
  top(max: number): { groups: SliceGroup[]; omitted: number } {
    const all = [...this.groups.values()].sort(
      (a, b) => b.columns.observations - a.columns.observations || String(a.value).localeCompare(String(b.value)),
    );
    return { groups: all.slice(0, max), omitted: Math.max(0, all.length - max) };
  }
}

import { ENDUSER, ML } from '../../shared/attribute-keys.js';
import type { Attributes, AttributeValue, SpanRecord } from '../../shared/span-record.js';

/**
 * The rows of a batch span (pure). Row i of a batch is index i of every `ml.input.*` and
 * `ml.output.*` array and, when the rows belong to several subjects, of `enduser.pseudo.id`
 * (the sidecar writes one pseudonym per row then). Other `ml.*` arrays (`ml.privacy.redacted`)
 * are lists of names, not rows, and stay as they are.
 */
export function isRowAttribute(name: string): boolean {
  return name.startsWith(ML.inputPrefix) || name.startsWith(ML.outputPrefix);
}

/** The span with only the rows in `keep` (in the order of the batch); `ml.batch.size` says how many. */
export function onlyRows(span: SpanRecord, keep: ReadonlySet<number>): SpanRecord {
  return withRows(span, (i) => keep.has(i), keep.size);
}

/** The span without the rows in `drop`; `ml.batch.size` is lowered by as many. */
export function withoutRows(span: SpanRecord, drop: ReadonlySet<number>): SpanRecord {
  const size = span.attributes[ML.batchSize];
  const rows = typeof size === 'number' ? Math.max(0, size - drop.size) : undefined;
  return withRows(span, (i) => !drop.has(i), rows);
}

function withRows(span: SpanRecord, kept: (row: number) => boolean, rows: number | undefined): SpanRecord {
  const attributes: Attributes = {};
  for (const [name, value] of Object.entries(span.attributes)) {
    if (Array.isArray(value) && (isRowAttribute(name) || name === ENDUSER.pseudoId))
      attributes[name] = (value as AttributeValue[]).filter((_v, i) => kept(i)) as AttributeValue;
    else attributes[name] = value;
  }
  if (rows !== undefined) attributes[ML.batchSize] = rows;
  return { ...span, attributes };
}

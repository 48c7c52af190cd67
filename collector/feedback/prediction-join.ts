import { ENDUSER, ML, RESOURCE } from '../../shared/attribute-keys.js';
import type { AttributeValue, SpanRecord } from '../../shared/span-record.js';
import type { FeedbackItem, FeedbackRecord, SliceValue } from './feedback-types.js';

/**
 * The join of one feedback item with the spans of its request (pure: spans in, record out).
 *
 * Which span: a SERVER span whose `ml.request.id` equals the item's request id and which carries an
 * `ml.output.*` attribute; among several (retries, nested servers) the earliest-starting one, i.e.
 * the outermost call the client made. Traces are tried in the order given (most recent first).
 *
 * Which output is the prediction: the model's configured output name, else the only `ml.output.*`
 * attribute, else the first by name (so `ml.output.label` beats `ml.output.probabilities`).
 *
 * Batches: the rows of a call are `ml.batch.size` (else the output array's length, else 1).
 * - one row: `row` may be absent or 0; a one-element array output is unwrapped.
 * - several rows: `row` is required (the prediction of a batch call without it is ambiguous, and
 *   the item is rejected with `ambiguous_batch`), and the output must be an array with one element
 *   per row; the row's element is the prediction, and array-valued inputs give the row's element
 *   as slice values.
 * A prediction that is an array of numbers (class scores) becomes the index of the largest score.
 */
export interface JoinOptions {
  /** Output name (without `ml.output.`) holding the prediction, per model name. */
  outputs: Readonly<Record<string, string>>;
  /** At most this many slice attributes are kept per record (by name order). */
  maxSliceAttributes: number;
  /** Longer string slice values are cut to this many characters. */
  maxSliceValueLength: number;
}

export const DEFAULT_JOIN_OPTIONS: JoinOptions = Object.freeze({
  outputs: Object.freeze({}),
  maxSliceAttributes: 128,
  maxSliceValueLength: 256,
});

type JoinFailureCode = 'unknown_request' | 'no_prediction' | 'ambiguous_batch' | 'row_out_of_range';

export type JoinResult = { ok: true; record: FeedbackRecord } | { ok: false; code: JoinFailureCode; message: string };

const isScalar = (v: AttributeValue | undefined): v is SliceValue =>
  typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

function outputsOf(span: SpanRecord): string[] {
  return Object.keys(span.attributes)
    .filter((k) => k.startsWith(ML.outputPrefix))
    .map((k) => k.slice(ML.outputPrefix.length))
    .sort();
}

const byStart = (a: SpanRecord, b: SpanRecord): number =>
  a.startTimeUnixNano < b.startTimeUnixNano ? -1 : a.startTimeUnixNano > b.startTimeUnixNano ? 1 : 0;

/**
 * The SERVER span that made the prediction for this request id: one with a captured output when
 * any trace holds one, else one without (so the caller can say the output was not captured).
 */
function findPredictionSpan(requestId: string, traces: readonly (readonly SpanRecord[])[]): SpanRecord | undefined {
  let uncaptured: SpanRecord | undefined;
  for (const spans of traces) {
    const servers = spans.filter((s) => s.kind === 'SERVER' && s.attributes[ML.requestId] === requestId).sort(byStart);
    const withOutput = servers.find((s) => outputsOf(s).length > 0);
    if (withOutput !== undefined) return withOutput;
    uncaptured ??= servers[0];
  }
  return uncaptured;
}

function modelOf(span: SpanRecord): { model: string; version: string } {
  const name = span.attributes[ML.modelName];
  const version = span.attributes[ML.modelVersion];
  return {
    model: isScalar(name) ? String(name) : span.serviceName,
    version: isScalar(version) ? String(version) : '',
  };
}

/** The output name the prediction is read from, for this span's model. */
function predictionOutput(span: SpanRecord, model: string, options: JoinOptions): string | undefined {
  const configured = options.outputs[model];
  const names = outputsOf(span);
  if (configured !== undefined) return names.includes(configured) ? configured : undefined;
  return names[0];
}

function rowCount(span: SpanRecord, output: AttributeValue | undefined): number {
  const size = span.attributes[ML.batchSize];
  if (typeof size === 'number' && Number.isInteger(size) && size >= 1) return size;
  return Array.isArray(output) ? output.length : 1;
}

/** Class scores become the index of the largest; scalars stay; anything else is no prediction. */
export function predictionValue(v: AttributeValue | undefined): SliceValue | null {
  if (isScalar(v)) return v;
  if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    const scores = v as number[];
    return scores.reduce((best, x, i) => (x > (scores[best] as number) ? i : best), 0);
  }
  return null;
}

function sliceValues(span: SpanRecord, row: number, rows: number, options: JoinOptions): Record<string, SliceValue> {
  const out: Record<string, SliceValue> = {};
  const cut = (v: SliceValue): SliceValue =>
    typeof v === 'string' && v.length > options.maxSliceValueLength ? v.slice(0, options.maxSliceValueLength) : v;
  const keys = Object.keys(span.attributes)
    .filter((k) => k !== ENDUSER.pseudoId)
    .sort();
  let kept = 0;
  for (const key of keys) {
    if (kept >= options.maxSliceAttributes - 1) break;
    const v = span.attributes[key];
    const perRow = rows > 1 && Array.isArray(v) && v.length === rows ? v[row] : v;
    if (isScalar(perRow)) {
      out[key] = cut(perRow);
      kept += 1;
    }
  }
  out[RESOURCE.serviceName] = span.serviceName;
  return out;
}

/** Joins the item with its prediction, given the spans of the traces carrying its request id. */
export function joinPrediction(
  item: FeedbackItem,
  traces: readonly (readonly SpanRecord[])[],
  options: JoinOptions,
): JoinResult {
  const span = findPredictionSpan(item.requestId, traces);
  if (span === undefined) {
    return {
      ok: false,
      code: 'unknown_request',
      message: `no SERVER span with ml.request.id "${item.requestId}" is stored (yet)`,
    };
  }
  const { model, version } = modelOf(span);
  const output = predictionOutput(span, model, options);
  if (output === undefined) {
    const wanted = options.outputs[model];
    const capture = span.attributes[ML.capture];
    const why =
      wanted !== undefined
        ? `has no output "ml.output.${wanted}" (configured as model ${model}'s prediction)`
        : `captured no output (ml.capture=${JSON.stringify(capture ?? null)}, ${JSON.stringify(span.attributes[ML.captureReason] ?? null)})`;
    return { ok: false, code: 'no_prediction', message: `the span of request "${item.requestId}" ${why}` };
  }
  const raw = span.attributes[ML.outputPrefix + output];
  const rows = rowCount(span, raw);
  let value: AttributeValue | undefined;
  let row = item.row ?? 0;
  if (rows === 1) {
    if (row !== 0)
      return {
        ok: false,
        code: 'row_out_of_range',
        message: `row ${row} given, but request "${item.requestId}" was a single-row call: omit row or send 0`,
      };
    value = Array.isArray(raw) && raw.length === 1 ? raw[0] : raw;
  } else {
    if (item.row === null) {
      return {
        ok: false,
        code: 'ambiguous_batch',
        message: `request "${item.requestId}" was a batch of ${rows} rows: send one item per row with its "row" index (0-based)`,
      };
    }
    if (!Array.isArray(raw) || raw.length !== rows || row >= rows) {
      return {
        ok: false,
        code: 'row_out_of_range',
        message: `row ${row} is not one of the ${rows} rows of request "${item.requestId}" (rows are 0-based)`,
      };
    }
    value = raw[row];
    row = item.row;
  }
  const subject = span.attributes[ENDUSER.pseudoId];
  return {
    ok: true,
    record: {
      requestId: item.requestId,
      row,
      model,
      version,
      traceId: span.traceId,
      spanId: span.spanId,
      subject: typeof subject === 'string' ? subject : null,
      output,
      prediction: predictionValue(value),
      truth: item.truth,
      predictionMs: Number(span.startTimeUnixNano / 1_000_000n),
      feedbackMs: item.feedbackMs,
      receivedMs: item.receivedMs,
      slices: sliceValues(span, row, rows, options),
    },
  };
}

import type Database from 'better-sqlite3';
import { ML } from '../../shared/attribute-keys.js';
import { AppError } from '../../shared/errors.js';
import type { AttributeValue, SpanRecord } from '../../shared/span-record.js';
import type { DriftSettings } from '../drift/drift-settings.js';
import type { FeedbackStore } from '../feedback/feedback-store.js';
import type { FeedbackRecord } from '../feedback/feedback-types.js';
import { attributeText } from '../storage/span-match.js';
import type { StoredRows } from '../storage/sqlite/stored-rows.js';
import { moveSummaryValue } from './rectify-summaries.js';
import { requestRowsOf } from './subject-inventory.js';
import { subjectSpans, type SubjectSpan } from './subject-spans.js';

/**
 * Rectification (Art. 16): one captured input value (`input.<name>`) or the feedback label
 * (`label`) of one of the subject's requests is corrected. An input is rewritten in the stored span
 * (of a batch, only a row of the subject's), moved in the drift summaries from the old value to the
 * new one and in the joined feedback's slices, all in one transaction; a label is replaced in the
 * joined feedback (performance and label drift are computed from it when asked). Each correction is
 * recorded in subject_rectifications — where and when, never a value. Correcting to the value
 * already held changes nothing, so a retried request does not move a summary twice.
 */
export type CorrectedValue = string | number | boolean | null;

export interface Correction {
  requestId: string;
  /** `input.<name>` or `label`. */
  field: string;
  value: CorrectedValue;
  /** The batch row; may be left out when the subject has one row in the request. */
  row?: number;
}

export interface RectificationDeps {
  db: Database.Database;
  stored: StoredRows;
  feedback: FeedbackStore;
  drift: { settings: DriftSettings; flush(): void };
  clock: () => number;
}

export interface RectificationResult {
  /** Spans rewritten, or feedback records relabelled. */
  corrected: number;
  /** Already held the value: nothing changed. */
  unchanged: number;
  summaries: { removed: number; notFound: number; added: number };
}

function recorder(db: Database.Database) {
  return db.prepare(`INSERT INTO subject_rectifications
    (pseudonym, target, request_id, trace_id, span_id, field, row_index, token, corrected_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
}

export function rectify(
  deps: RectificationDeps,
  pseudonyms: readonly string[],
  c: Correction,
  token: string,
): RectificationResult {
  if (c.field === 'label') return relabel(deps, pseudonyms, c, token);
  if (!c.field.startsWith('input.') || c.field.length === 'input.'.length)
    throw new AppError('invalid_rectification', 'field must be input.<name> (a captured input) or label');
  const attribute = ML.inputPrefix + c.field.slice('input.'.length);
  const targets = subjectSpans(deps.stored, pseudonyms).filter(
    (s) =>
      s.span.kind === 'SERVER' &&
      attributeText(s.span.attributes[ML.requestId]) === c.requestId &&
      s.span.attributes[attribute] !== undefined,
  );
  if (targets.length === 0)
    throw new AppError('subject_record_not_found', `the subject has no stored request of that id capturing ${c.field}`);
  const result: RectificationResult = { corrected: 0, unchanged: 0, summaries: { removed: 0, notFound: 0, added: 0 } };
  const plans = targets.map((t) => plan(t, attribute, c));
  deps.drift.flush(); // the old values must be in the stored summaries to be taken out
  const record = recorder(deps.db);
  deps.stored.transaction(() => {
    for (const p of plans) {
      if (p.before === c.value) {
        result.unchanged += 1;
        continue;
      }
      const moved = moveSummaryValue(deps.db, deps.drift.settings, p.target.span, attribute, p.before, c.value);
      result.summaries.removed += moved.removed;
      result.summaries.notFound += moved.notFound;
      result.summaries.added += moved.added;
      deps.stored.rewriteRow(p.target.row, p.after);
      const f = deps.feedback.get({ requestId: c.requestId, row: p.row });
      if (f !== undefined && attribute in f.slices && c.value !== null)
        deps.feedback.upsert([{ ...f, slices: { ...f.slices, [attribute]: c.value } }]);
      const pseudonym = pseudonyms.find((x) => subjectOwns(p.target, x)) ?? (pseudonyms[0] as string);
      record.run(
        pseudonym,
        'input',
        c.requestId,
        p.target.span.traceId,
        p.target.span.spanId,
        c.field,
        p.row,
        token,
        deps.clock(),
      );
      result.corrected += 1;
    }
  });
  return result;
}

function subjectOwns(s: SubjectSpan, pseudonym: string): boolean {
  const v = s.span.attributes['enduser.pseudo.id'];
  return v === pseudonym || (Array.isArray(v) && v.includes(pseudonym));
}

interface Plan {
  target: SubjectSpan;
  row: number;
  before: AttributeValue;
  after: SpanRecord;
}

/** Which row to correct, what it holds and the span once corrected; an AppError for a row not the subject's. */
function plan(target: SubjectSpan, attribute: string, c: Correction): Plan {
  const value = target.span.attributes[attribute] as AttributeValue;
  if (!Array.isArray(value)) {
    if (c.row !== undefined && c.row !== 0)
      throw new AppError('invalid_rectification', `the request is not a batch: row must be 0 or left out`);
    return { target, row: 0, before: value, after: withAttribute(target.span, attribute, c.value) };
  }
  const own = target.rows === 'all' ? value.map((_v, i) => i) : target.rows;
  const row = c.row ?? (own.length === 1 ? own[0] : undefined);
  if (row === undefined)
    throw new AppError('invalid_rectification', `the subject has ${own.length} rows in this batch: give the row`);
  if (!own.includes(row) || row >= value.length)
    throw new AppError('invalid_rectification', `row ${row} of this batch is not the subject's`);
  const corrected = [...value];
  corrected[row] = c.value;
  return { target, row, before: value[row] as AttributeValue, after: withAttribute(target.span, attribute, corrected) };
}

function withAttribute(span: SpanRecord, attribute: string, value: AttributeValue): SpanRecord {
  return { ...span, attributes: { ...span.attributes, [attribute]: value } };
}

function relabel(
  deps: RectificationDeps,
  pseudonyms: readonly string[],
  c: Correction,
  token: string,
): RectificationResult {
  const rows = requestRowsOf(subjectSpans(deps.stored, pseudonyms)).filter((r) => r.requestId === c.requestId);
  const mine = new Set(pseudonyms);
  const records = rows
    .filter((r) => c.row === undefined || r.row === c.row)
    .map((r) => deps.feedback.get({ requestId: r.requestId, row: r.row }))
    .filter((f): f is FeedbackRecord => f !== undefined && (f.subject === null || mine.has(f.subject)));
  if (records.length === 0)
    throw new AppError('subject_record_not_found', 'the subject has no joined feedback for that request (and row)');
  if (records.length > 1 && c.row === undefined)
    throw new AppError(
      'invalid_rectification',
      `the subject has feedback for ${records.length} rows of this request: give the row`,
    );
  const result: RectificationResult = { corrected: 0, unchanged: 0, summaries: { removed: 0, notFound: 0, added: 0 } };
  const record = recorder(deps.db);
  const f = records[0] as FeedbackRecord;
  const truth = f.truth.kind === 'value' ? numeric(c.value) : label(c.value);
  if (JSON.stringify(truth) === JSON.stringify(f.truth)) return { ...result, unchanged: 1 };
  deps.stored.transaction(() => {
    deps.feedback.upsert([{ ...f, truth }]);
    record.run(
      f.subject ?? pseudonyms[0],
      'label',
      c.requestId,
      f.traceId,
      f.spanId,
      'label',
      f.row,
      token,
      deps.clock(),
    );
  });
  return { ...result, corrected: 1 };
}

function numeric(v: CorrectedValue): FeedbackRecord['truth'] {
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new AppError(
      'invalid_rectification',
      'this feedback is a regression value: the corrected label must be a number',
    );
  return { kind: 'value', value: v };
}

function label(v: CorrectedValue): FeedbackRecord['truth'] {
  if (v === null) throw new AppError('invalid_rectification', 'a label cannot be null');
  return { kind: 'label', label: v };
}

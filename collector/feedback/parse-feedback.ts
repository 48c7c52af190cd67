import type { ClassLabel, FeedbackItem, Truth } from './feedback-types.js';
import { parseInstantMs } from '../../shared/units.js';

/**
 * Checks and normalises the body of `POST /api/feedback` (pure). The body is one item or an array
 * of items; each item is `{ request_id, label | value, timestamp?, row? }`:
 * - `label`: the true class of a classification — a string, a boolean or a whole number;
 * - `value`: the true number of a regression;
 * - `timestamp`: when the truth became known, epoch milliseconds or RFC 3339 (default: now);
 * - `row`: for batch calls, the 0-based row of the batch the truth is for.
 * A body with any bad item is refused as a whole, naming every bad item, so nothing is half-stored.
 */
interface RawFeedbackItem {
  request_id?: unknown;
  label?: unknown;
  value?: unknown;
  timestamp?: unknown;
  row?: unknown;
}

export type ParseFeedbackResult = { ok: true; items: FeedbackItem[] } | { ok: false; problems: string[] };

export const MAX_FEEDBACK_ITEMS = 10_000;
const MAX_LABEL_LENGTH = 256;
const MAX_REQUEST_ID_LENGTH = 512;

function truthOf(raw: RawFeedbackItem, where: string, problems: string[]): Truth | undefined {
  const hasLabel = raw.label !== undefined && raw.label !== null;
  const hasValue = raw.value !== undefined && raw.value !== null;
  if (hasLabel === hasValue) {
    problems.push(
      `${where}: give exactly one of "label" (a class, for classification) or "value" (a number, for regression)`,
    );
    return undefined;
  }
  if (hasValue) {
    if (typeof raw.value !== 'number' || !Number.isFinite(raw.value)) {
      problems.push(`${where}: "value" must be a finite number, got ${JSON.stringify(raw.value)}`);
      return undefined;
    }
    return { kind: 'value', value: raw.value };
  }
  const label = raw.label;
  const ok =
    (typeof label === 'string' && label.length > 0 && label.length <= MAX_LABEL_LENGTH) ||
    typeof label === 'boolean' ||
    (typeof label === 'number' && Number.isSafeInteger(label));
  if (!ok) {
    problems.push(
      `${where}: "label" must be a class — a non-empty string of at most ${MAX_LABEL_LENGTH} characters, a boolean or a whole number ` +
        `(send "value" for a regression target), got ${JSON.stringify(label)}`,
    );
    return undefined;
  }
  return { kind: 'label', label: label as ClassLabel };
}

function timeOf(raw: RawFeedbackItem, where: string, nowMs: number, problems: string[]): number {
  const t = raw.timestamp;
  if (t === undefined || t === null) return nowMs;
  const ms =
    typeof t === 'number'
      ? Number.isSafeInteger(t) && t >= 0
        ? t
        : undefined
      : typeof t === 'string'
        ? parseInstantMs(t)
        : undefined;
  if (ms === undefined) {
    problems.push(
      `${where}: "timestamp" must be epoch milliseconds (e.g. 1718000000000) or an RFC 3339 time (e.g. 2024-06-10T06:13:20Z), got ${JSON.stringify(t)}`,
    );
    return nowMs;
  }
  return ms;
}

export function parseFeedback(body: unknown, nowMs: number): ParseFeedbackResult {
  const list = Array.isArray(body) ? body : [body];
  const problems: string[] = [];
  if (list.length === 0) return { ok: false, problems: ['the body is an empty array: send at least one item'] };
  if (list.length > MAX_FEEDBACK_ITEMS) {
    return {
      ok: false,
      problems: [`the body has ${list.length} items; send at most ${MAX_FEEDBACK_ITEMS} per request`],
    };
  }
  const items: FeedbackItem[] = [];
  list.forEach((entry: unknown, i) => {
    const at = Array.isArray(body) ? `item ${i}` : 'the item';
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      problems.push(`${at}: must be an object such as {"request_id": "r-1", "label": "cat"}`);
      return;
    }
    const raw = entry as RawFeedbackItem;
    if (typeof raw.request_id !== 'string' || raw.request_id === '' || raw.request_id.length > MAX_REQUEST_ID_LENGTH) {
      problems.push(
        `${at}: "request_id" must be the ml.request.id (x-request-id) of the prediction, as text of 1 to ${MAX_REQUEST_ID_LENGTH} characters`,
      );
      return;
    }
    const where = `${at} (request_id "${raw.request_id}")`;
    const truth = truthOf(raw, where, problems);
    const feedbackMs = timeOf(raw, where, nowMs, problems);
    let row: number | null = null;
    if (raw.row !== undefined && raw.row !== null) {
      if (typeof raw.row !== 'number' || !Number.isSafeInteger(raw.row) || raw.row < 0) {
        problems.push(`${where}: "row" must be a 0-based row index of the batch, got ${JSON.stringify(raw.row)}`);
      } else {
        row = raw.row;
      }
    }
    if (truth !== undefined) items.push({ requestId: raw.request_id, row, truth, feedbackMs, receivedMs: nowMs });
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, items };
}

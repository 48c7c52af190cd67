/**
 * Ground truth: labels (classification) or values (regression) posted after the prediction and
 * joined to it by `ml.request.id`. Times are epoch milliseconds.
 */

/** A class: a string, a boolean or a whole number (class index). */
export type ClassLabel = string | number | boolean;

/** What a person knows about one request: its true class, or its true numeric value. */
export type Truth = { kind: 'label'; label: ClassLabel } | { kind: 'value'; value: number };

/** One item of `POST /api/feedback`, checked and normalised (see parse-feedback.ts). */
export interface FeedbackItem {
  requestId: string;
  /** The row of a batch call the truth is for; null when not given (a single-row call). */
  row: number | null;
  truth: Truth;
  /** When the truth became known (the item's `timestamp`, else when it was received). */
  feedbackMs: number;
  receivedMs: number;
}

/** A scalar attribute value kept for slicing. */
export type SliceValue = string | number | boolean;

/** Feedback joined to its prediction: one row per (request id, row), the latest truth wins. */
export interface FeedbackRecord {
  requestId: string;
  /** 0 for a single-row call. */
  row: number;
  /** `ml.model.name` of the SERVER span (its service name when it has none). */
  model: string;
  /** `ml.model.version`, '' when absent. */
  version: string;
  traceId: string;
  spanId: string;
  /** `enduser.pseudo.id`, so erasure of a data subject reaches feedback too. */
  subject: string | null;
  /** The `ml.output.<name>` the prediction was taken from (without the prefix). */
  output: string;
  /** The predicted class or value; null when the output held nothing usable for this row. */
  prediction: SliceValue | null;
  truth: Truth;
  /** Start of the SERVER span: when the prediction was made. Windows are by this time. */
  predictionMs: number;
  feedbackMs: number;
  receivedMs: number;
  /** Scalar attributes of the SERVER span (batch inputs: this row's element), `service.name` too. */
  slices: Record<string, SliceValue>;
}

/** Feedback whose request id matched no stored prediction yet; retried until it joins or expires. */
export interface PendingFeedback extends FeedbackItem {
  attempts: number;
  nextAttemptMs: number;
}

/** The key of both joined and pending feedback. Absent row counts as row 0 once joined. */
export interface FeedbackKey {
  requestId: string;
  row: number | null;
}

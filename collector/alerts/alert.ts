import type { MovedBin } from '../drift/report/moved-bins.js';
import type { AlertSubject, Comparison } from './alert-rule.js';

/**
 * An alert: one episode of a rule's condition holding. Its id is `{rule id}@{activeAt ms}`, so each
 * episode is a distinct alert. States: pending (condition holds, `for` not yet elapsed) → firing →
 * resolved. A pending alert whose condition stops holding is dropped, as in Prometheus.
 */
export type AlertState = 'pending' | 'firing' | 'resolved';

/** What a person needs to act: what is wrong, by how much, and requests and traces to open. */
export interface AlertCause extends AlertSubject {
  value: number;
  threshold: number;
  comparison: Comparison;
  /** The window the value was computed over, as text (e.g. "1h"). */
  window: string;
  /** Observations behind the value (requests, labelled predictions…), when the source knows. */
  count?: number;
  /** Drift: the bins (or categories) whose share moved most. */
  movedBins?: MovedBin[];
  exemplarRequestIds: string[];
  exemplarTraceIds: string[];
  /** One sentence saying it all. */
  summary: string;
  /** Anything else the source found useful (e.g. every drift statistic). */
  details?: Record<string, unknown>;
}

export interface Alert {
  id: string;
  ruleId: string;
  name: string;
  severity: string;
  state: AlertState;
  /** When the condition started to hold. */
  activeAtMs: number;
  firedAtMs: number | null;
  resolvedAtMs: number | null;
  lastEvaluatedMs: number;
  /** The latest value (while active) or the last one seen while active (once resolved). */
  value: number;
  /** The cause at the latest evaluation where the condition held. */
  cause: AlertCause;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Why it resolved when not because the value recovered ("no data", "rule deleted"). */
  resolvedReason?: string;
  /** The rule's dataset as a path with its query (`/api/datasets/{model}?…`), when the rule names one. */
  dataset?: string;
}

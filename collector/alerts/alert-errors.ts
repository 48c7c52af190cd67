import { AppError, type ErrorSpec } from '../../shared/errors.js';

/** The alerts area's error table: stable codes and their HTTP statuses. */
export const ALERT_ERRORS = {
  /** A rule posted to the API is malformed; the message names every problem. */
  invalidRule: { code: 'invalid_rule', status: 400 },
  /** The rule's metric has no source registered in this collector. */
  unknownMetric: { code: 'unknown_metric', status: 400 },
  /** The rule names a receiver that the rules file does not define. */
  unknownReceiver: { code: 'unknown_receiver', status: 400 },
  /** A rule with this id exists already (delete it first, or choose another id). */
  ruleExists: { code: 'rule_exists', status: 409 },
  /** The rule comes from the rules file: edit the file instead. */
  ruleFromFile: { code: 'rule_from_file', status: 409 },
  ruleNotFound: { code: 'rule_not_found', status: 404 },
  /** A query parameter of GET /api/alerts is malformed or unknown. */
  invalidQuery: { code: 'invalid_query', status: 400 },
} as const satisfies Record<string, ErrorSpec>;

export class AlertError extends AppError {
  constructor(spec: ErrorSpec, message: string, options?: { cause?: unknown }) {
    super(spec, message, options);
    this.name = 'AlertError';
  }
}

import type { Span } from '@opentelemetry/api';
import type { Attributes } from '../../shared/span-record.js';
import { attachEncodedAttributes, carriedEncodedAttributes } from '../telemetry/pre-encoded-attributes.js';
import { toOtelAttributes } from '../telemetry/otel-attribute-values.js';
import { endServerSpan, type ServerOutcome } from './span-endings.js';

/**
 * ⑤ The SERVER span ends with its captured attributes: at once when capture ran on the event loop;
 * when the capture thread replies otherwise, timed as it would have ended now.
 */
export function endServerAfterCapture(
  span: Span,
  captured: Attributes | Promise<Attributes>,
  outcome: ServerOutcome & { requestIdFromClient: boolean },
  metrics: { awaitingCapture: number },
): void {
  if (!(captured instanceof Promise)) return end(span, captured, outcome, undefined);
  const endTime = performance.now();
  metrics.awaitingCapture += 1;
  void captured.then((attrs) => {
    metrics.awaitingCapture -= 1;
    end(span, attrs, outcome, endTime);
  });
}

function end(
  span: Span,
  captured: Attributes,
  outcome: ServerOutcome & { requestIdFromClient: boolean },
  endTime: number | undefined,
): void {
  // The client's own x-request-id is the key people query by; a protocol id only fills a gap.
  if (outcome.requestIdFromClient) delete captured['ml.request.id'];
  const encoded = carriedEncodedAttributes(captured);
  if (encoded) attachEncodedAttributes(span, encoded);
  endServerSpan(span, toOtelAttributes(captured), outcome, endTime);
}

import { SpanStatusCode, type Attributes, type Span, type TimeInput } from '@opentelemetry/api';
import { HTTP } from '../../shared/attribute-keys.js';
import type { UpstreamFailure } from './upstream-errors.js';

/** How the proxy's two spans end: sizes, status codes, error.type and status from the exchange's outcome. */
export interface ClientOutcome {
  error: Error | undefined;
  /** Why the model call failed, when it did. */
  failure: UpstreamFailure | undefined;
  requestBytes: number;
  upstreamStatus: number | undefined;
  upstreamBytes: number;
}

export function endClientSpan(span: Span, o: ClientOutcome): void {
  if (!span.isRecording()) return span.end();
  const attrs: Attributes = { [HTTP.requestBodySize]: o.requestBytes };
  if (o.upstreamStatus !== undefined) {
    attrs[HTTP.responseStatusCode] = o.upstreamStatus;
    attrs[HTTP.responseBodySize] = o.upstreamBytes;
  }
  if (o.error && o.failure) {
    attrs[HTTP.errorType] = o.failure.cause;
    span.recordException(o.error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: o.failure.message });
  } else if (o.upstreamStatus !== undefined && o.upstreamStatus >= 400) {
    attrs[HTTP.errorType] = String(o.upstreamStatus);
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.setAttributes(attrs);
  span.end();
}

export interface ServerOutcome {
  failure: UpstreamFailure | undefined;
  clientGone: boolean;
  requestBytes: number;
  statusSent: number | undefined;
  responseBytes: number;
}

/**
 * Ends the SERVER span with the captured attributes (`attrs`, extended here) and the outcome;
 * `endTime` when the span ends later than the exchange (capture in a thread).
 */
export function endServerSpan(span: Span, attrs: Attributes, o: ServerOutcome, endTime?: TimeInput): void {
  attrs[HTTP.requestBodySize] = o.requestBytes;
  if (o.statusSent !== undefined && !o.clientGone) {
    attrs[HTTP.responseStatusCode] = o.statusSent;
    attrs[HTTP.responseBodySize] = o.responseBytes;
  }
  const f = o.failure;
  if (f) {
    attrs[HTTP.errorType] = f.spec.code;
    span.addEvent('exception', { 'exception.type': f.spec.code, 'exception.message': f.message });
    span.setStatus({ code: SpanStatusCode.ERROR, message: f.message });
  } else if (o.clientGone) {
    attrs[HTTP.errorType] = 'client_aborted';
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: 'the client closed the connection before the response was complete',
    });
  } else if (o.statusSent !== undefined && o.statusSent >= 500) {
    attrs[HTTP.errorType] = String(o.statusSent);
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.setAttributes(attrs);
  span.end(endTime);
}

import { ML } from '../../shared/attribute-keys.js';
import { attributeText } from '../storage/span-match.js';
import type { ModelSpan } from '../storage/span-store.js';

/**
 * What drift needs of a stored SERVER span: where it belongs (model, version, time), how to find it
 * again (trace id, request id), and its attributes (captured features, slice keys).
 */
export type CapturedSpan = ModelSpan;

/**
 * The model a span's observations belong to: `ml.model.name`, else the service name (a sidecar in
 * front of an MLflow `/invocations` endpoint has no model name in the URL; its OTEL_SERVICE_NAME
 * names the deployment). The version is `ml.model.version`, '' when absent.
 */
export function modelOf(span: Pick<CapturedSpan, 'attributes' | 'serviceName'>): { model: string; version: string } {
  return {
    model: attributeText(span.attributes[ML.modelName]) ?? span.serviceName,
    version: attributeText(span.attributes[ML.modelVersion]) ?? '',
  };
}

/** A slice key's value on a span: its attribute, else its resource's; null when neither has it. */
export function sliceAttribute(span: Pick<CapturedSpan, 'attributes' | 'resource' | 'serviceName'>, key: string) {
  if (key === 'service.name') return span.serviceName;
  return span.attributes[key] ?? span.resource[key];
}

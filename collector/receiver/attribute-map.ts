import type { AttributeValue, Attributes } from '../../shared/span-record.js';
import { RESOURCE } from '../../shared/attribute-keys.js';
import { UNKNOWN_SERVICE } from '../../shared/span-record.js';

/**
 * Sets an attribute on a plain object. Keys come from senders, so `__proto__` must become an own
 * property rather than replace the object's prototype (and lose the attribute).
 */
export function setAttribute(target: Attributes, key: string, value: AttributeValue): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/** The service name a resource names, or the OpenTelemetry placeholder when it names none. */
export function serviceNameOf(resource: Attributes): string {
  const name = resource[RESOURCE.serviceName];
  return typeof name === 'string' && name !== '' ? name : UNKNOWN_SERVICE;
}

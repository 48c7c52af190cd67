import type { MlProtocol } from '../../shared/attribute-keys.js';
import type { Extraction } from './extraction.js';

/**
 * One serving protocol's reading of request and response bodies (already parsed JSON).
 * `request`/`response` throw MalformedBody when the body is not the protocol's shape;
 * `maxColumns` caps the columns of unnamed tensors (FeatureTable).
 */
export interface ProtocolCodec {
  readonly protocol: MlProtocol;
  /** Whether a parsed request body has this protocol's shape, for detection by body. */
  recognises(body: Record<string, unknown>): boolean;
  request(body: unknown, maxColumns?: number): Extraction;
  response(body: unknown, maxColumns?: number): Extraction;
}

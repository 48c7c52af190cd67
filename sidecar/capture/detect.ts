import type { MlProtocol } from '../../shared/attribute-keys.js';
import type { ProtocolCodec } from './codec.js';
import { isRecord } from './extraction.js';
import { json } from './json.js';
import { mlflow } from './mlflow.js';
import { oipV2 } from './oip-v2.js';
import { seldon } from './seldon.js';
import { tfServing } from './tfserving.js';

/**
 * Which codec reads an exchange: the one the path names (see `proxy/model-path.ts`, shared with
 * span naming) or, when the path names none, the one whose shape the request body has.
 */
export const CODECS: Readonly<Record<MlProtocol, ProtocolCodec>> = {
  'oip-v2': oipV2,
  tfserving: tfServing,
  mlflow,
  seldon,
  json,
};

/** Most specific first: MLflow's `instances`/`inputs` read like TF Serving's, so its own keys go first. */
const BODY_ORDER: readonly ProtocolCodec[] = [oipV2, mlflow, seldon, tfServing, json];

/** The path without its query string (absolute-form request targets reduced to their path). */
export function pathOf(url: string): string {
  if (!url.startsWith('/')) {
    try {
      return new URL(url).pathname;
    } catch {
      return url;
    }
  }
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

/** The codec whose shape a parsed request body has; `json` for any other object. */
export function codecForBody(body: unknown): ProtocolCodec | undefined {
  if (!isRecord(body)) return undefined;
  return BODY_ORDER.find((c) => c.recognises(body));
}

import type { MlProtocol } from '../../shared/attribute-keys.js';
import type { ProtocolCodec } from './codec.js';
import { isRecord } from './extraction.js';
import { json } from './json.js';
import { mlflow } from './mlflow.js';
import { oipV2 } from './oip-v2.js';
import { seldon } from './seldon.js';
import { tfServing } from './tfserving.js';

/** What a request's path (or a route override) says about the exchange. */
export interface RouteInfo {
  protocol?: MlProtocol;
  modelName?: string;
  modelVersion?: string;
}

export const CODECS: Readonly<Record<MlProtocol, ProtocolCodec>> = {
  'oip-v2': oipV2,
  tfserving: tfServing,
  mlflow,
  seldon,
  json,
};

/** Most specific first: MLflow's `instances`/`inputs` read like TF Serving's, so its own keys go first. */
const BODY_ORDER: readonly ProtocolCodec[] = [oipV2, mlflow, seldon, tfServing, json];

const OIP = /^\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?\/infer$/;
const TF = /^\/v1\/models\/([^/:]+)(?:\/versions\/([^/:]+)|\/labels\/[^/:]+)?:(?:predict|classify|regress|explain)$/;
const MLFLOW = /(?:^|\/)invocations$/;
const SELDON = /^(?:\/seldon\/[^/]+\/([^/]+))?\/api\/v[01]\.[01]\/predictions$/;

function decode(segment: string | undefined): string | undefined {
  if (segment === undefined) return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function info(protocol: MlProtocol, name?: string, version?: string): RouteInfo {
  const r: RouteInfo = { protocol };
  const n = decode(name);
  const v = decode(version);
  if (n !== undefined) r.modelName = n;
  if (v !== undefined) r.modelVersion = v;
  return r;
}

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

export function routeFromPath(path: string): RouteInfo {
  let m = OIP.exec(path);
  if (m) return info('oip-v2', m[1], m[2]);
  m = TF.exec(path);
  if (m) return info('tfserving', m[1], m[2]);
  if (MLFLOW.test(path)) return info('mlflow');
  m = SELDON.exec(path);
  if (m) return info('seldon', m[1]);
  return {};
}

/** The codec whose shape a parsed request body has; `json` for any other object. */
export function codecForBody(body: unknown): ProtocolCodec | undefined {
  if (!isRecord(body)) return undefined;
  return BODY_ORDER.find((c) => c.recognises(body));
}

import type { MlProtocol } from '../../shared/attribute-keys.js';

/**
 * Which model and protocol a serving URL's path names: the one reading shared by span naming
 * (`http.route`, `ml.model.*`) and capture (which codec reads the body). Pure; a path no serving
 * protocol defines gives an empty result (the span is then named by method only, and capture
 * recognises the body by its shape).
 */

/** What a path (or a capture route override) says about the model and the protocol it speaks. */
export interface ModelInfo {
  /** Set only for an inference call, the exchange whose body a protocol codec can read. */
  protocol?: MlProtocol;
  modelName?: string;
  modelVersion?: string;
}

export interface ModelRoute extends ModelInfo {
  /** Low-cardinality route template for `http.route` and the span name. */
  route?: string;
}

// Open Inference Protocol (KServe v2, Triton): /v2/models/{m}[/versions/{v}][/{action}]
const V2 =
  /^\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?(?:\/(infer|ready|generate|generate_stream|explain|stats|config))?\/?$/;
// TensorFlow Serving / KServe v1: /v1/models/{m}[/versions/{v}|/labels/{l}][:verb|/metadata]
const V1 =
  /^\/v1\/models\/([^/:]+)(?:\/(versions|labels)\/([^/:]+))?(:predict|:classify|:regress|:explain|\/metadata)?\/?$/;
const TF_INFERENCE = new Set([':predict', ':classify', ':regress', ':explain']);
// Seldon Core v1, bare (the model's own port) or behind its ingress: /seldon/{namespace}/{deployment}/api/...
const SELDON = /^(?:\/seldon\/[^/]+\/([^/]+))?\/api\/(v1\.0|v0\.1)\/predictions\/?$/;
// MLflow's scoring server answers /invocations; gateways put a prefix before it (Databricks'
// /serving-endpoints/{name}/invocations). The prefix is unknown and may hold ids, so no route.
const MLFLOW_PREFIXED = /^\/.+\/invocations\/?$/;

const FIXED: Readonly<Record<string, ModelRoute>> = {
  '/invocations': { protocol: 'mlflow', route: '/invocations' },
  '/v2/health/ready': { route: '/v2/health/ready' },
  '/v2/health/live': { route: '/v2/health/live' },
  '/v2': { route: '/v2' },
};

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function named(route: ModelRoute, model: string, version: string | undefined): ModelRoute {
  route.modelName = decode(model);
  if (version !== undefined) route.modelVersion = decode(version);
  return route;
}

export function modelRoute(path: string): ModelRoute {
  const fixed = FIXED[path];
  if (fixed) return { ...fixed };
  const v2 = V2.exec(path);
  if (v2) {
    const [, model, version, action] = v2;
    const route = `/v2/models/{model}${version ? '/versions/{version}' : ''}${action ? `/${action}` : ''}`;
    return named(action === 'infer' ? { protocol: 'oip-v2', route } : { route }, model as string, version);
  }
  const v1 = V1.exec(path);
  if (v1) {
    // A label (`stable`, `canary`) stands for the version it points at.
    const [, model, kind, version, verb] = v1;
    const route = `/v1/models/{model}${kind ? `/${kind}/{version}` : ''}${verb ?? ''}`;
    return named(
      verb && TF_INFERENCE.has(verb) ? { protocol: 'tfserving', route } : { route },
      model as string,
      version,
    );
  }
  const seldon = SELDON.exec(path);
  if (seldon) {
    const [, deployment, api] = seldon;
    if (deployment === undefined) return { protocol: 'seldon', route: `/api/${api}/predictions` };
    return named(
      { protocol: 'seldon', route: `/seldon/{namespace}/{model}/api/${api}/predictions` },
      deployment,
      undefined,
    );
  }
  if (MLFLOW_PREFIXED.test(path)) return { protocol: 'mlflow' };
  return {};
}

/**
 * Which model a serving URL names, and a low-cardinality route template for `http.route` and the
 * span name. Pure; unknown paths give an empty result (the span is then named by method only).
 */
export interface ModelRoute {
  model?: string;
  version?: string;
  route?: string;
}

// Open Inference Protocol (KServe v2, Triton): /v2/models/{m}[/versions/{v}][/{action}]
const V2 = /^\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?(?:\/(infer|ready|generate|generate_stream|explain|stats|config))?\/?$/;
// TensorFlow Serving / KServe v1: /v1/models/{m}[/versions/{v}|/labels/{l}][:verb|/metadata]
const V1 = /^\/v1\/models\/([^/:]+)(?:\/(versions|labels)\/([^/:]+))?(:predict|:classify|:regress|:explain|\/metadata)?\/?$/;
const FIXED: Record<string, string> = {
  '/invocations': '/invocations', // MLflow
  '/api/v1.0/predictions': '/api/v1.0/predictions', // Seldon
  '/api/v0.1/predictions': '/api/v0.1/predictions',
  '/v2/health/ready': '/v2/health/ready',
  '/v2/health/live': '/v2/health/live',
  '/v2': '/v2',
};

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function modelRoute(path: string): ModelRoute {
  const fixed = FIXED[path];
  if (fixed) return { route: fixed };
  const v2 = V2.exec(path);
  if (v2) {
    const [, model, version, action] = v2;
    const route = `/v2/models/{model}${version ? '/versions/{version}' : ''}${action ? `/${action}` : ''}`;
    return { model: decode(model as string), ...(version ? { version: decode(version) } : {}), route };
  }
  const v1 = V1.exec(path);
  if (v1) {
    const [, model, kind, version, verb] = v1;
    const route = `/v1/models/{model}${kind ? `/${kind}/{version}` : ''}${verb ?? ''}`;
    return { model: decode(model as string), ...(version ? { version: decode(version) } : {}), route };
  }
  return {};
}

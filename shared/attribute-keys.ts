/**
 * Attribute names that are part of infertrace's public interface (documented in the README).
 * HTTP names follow the OpenTelemetry HTTP semantic conventions.
 */
export const HTTP = {
  requestMethod: 'http.request.method',
  responseStatusCode: 'http.response.status_code',
  route: 'http.route',
  requestBodySize: 'http.request.body.size',
  responseBodySize: 'http.response.body.size',
  urlPath: 'url.path',
  urlQuery: 'url.query',
  urlFull: 'url.full',
  urlScheme: 'url.scheme',
  serverAddress: 'server.address',
  serverPort: 'server.port',
  clientAddress: 'client.address',
  userAgent: 'user_agent.original',
  networkProtocolVersion: 'network.protocol.version',
  errorType: 'error.type',
} as const;

export const PEER = {
  /** The called service's name, for dependency graphs when the callee emits no spans (Jaeger, Zipkin). */
  service: 'peer.service',
} as const;

export const ML = {
  requestId: 'ml.request.id',
  modelName: 'ml.model.name',
  modelVersion: 'ml.model.version',
  protocol: 'ml.protocol',
  batchSize: 'ml.batch.size',
  capture: 'ml.capture',
  captureReason: 'ml.capture.reason',
  privacyRedacted: 'ml.privacy.redacted',
  /** Prefix of one attribute per input feature: `ml.input.<feature>`. */
  inputPrefix: 'ml.input.',
  /** Prefix of one attribute per output: `ml.output.<name>`. */
  outputPrefix: 'ml.output.',
} as const;

export const ENDUSER = {
  /** The data subject, pseudonymised with a keyed HMAC at the edge. */
  pseudoId: 'enduser.pseudo.id',
} as const;

export const RESOURCE = {
  serviceName: 'service.name',
} as const;

export type CaptureOutcome = 'full' | 'truncated' | 'skipped';
export type MlProtocol = 'oip-v2' | 'tfserving' | 'mlflow' | 'seldon' | 'json';

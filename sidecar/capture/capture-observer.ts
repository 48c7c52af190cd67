import type { IncomingHttpHeaders } from 'node:http';
import { ENDUSER, ML } from '../../shared/attribute-keys.js';
import type { Attributes } from '../../shared/span-record.js';
import { subjectFromHeaders } from './privacy/subject.js';
import { SUBJECT_PURPOSE } from '../../shared/pseudonyms/hmac.js';
import type { ExchangeInfo, ExchangeObserver, ExchangeOutcome, ObserverFactory } from '../proxy/exchange-observer.js';
import { BoundedBody, readJsonBody, type BodyFraming } from './body-reader.js';
import { captureExchange } from './capture-pipeline.js';
import type { CaptureSettings } from './capture-settings.js';
import type { ModelInfo } from '../proxy/model-path.js';
import { pathOf } from './detect.js';
import { resolveRoute } from './route-overrides.js';

/** Methods that carry an inference payload; other exchanges (health checks, metadata) are left alone. */
const CAPTURED_METHODS = new Set(['POST', 'PUT', 'PATCH']);

type Headers = IncomingHttpHeaders | Record<string, string | string[] | undefined>;

function header(headers: Headers, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function framing(headers: Headers): BodyFraming {
  const f: BodyFraming = {};
  const encoding = header(headers, 'content-encoding');
  const jsonLength = Number(header(headers, 'inference-header-content-length'));
  if (encoding !== undefined) f.contentEncoding = encoding;
  if (Number.isInteger(jsonLength) && jsonLength >= 0) f.jsonLength = jsonLength;
  return f;
}

/** Buffers both bodies (bounded) and runs the pure pipeline once the exchange is over. */
class CaptureObserver implements ExchangeObserver {
  private readonly request: BoundedBody;
  private readonly response: BoundedBody;
  private responseFraming: BodyFraming = {};

  constructor(
    private readonly settings: CaptureSettings,
    private readonly info: ExchangeInfo,
    private readonly route: ModelInfo,
    private readonly subject: string | undefined,
  ) {
    this.request = new BoundedBody(settings.limits.maxBytes);
    this.response = new BoundedBody(settings.limits.maxBytes);
  }

  onRequestChunk(chunk: Buffer): void {
    this.request.push(chunk);
  }

  onResponseStart(_statusCode: number, headers: Record<string, string | string[] | undefined>): void {
    this.responseFraming = framing(headers);
  }

  onResponseChunk(chunk: Buffer): void {
    this.response.push(chunk);
  }

  finish(outcome: ExchangeOutcome): Attributes {
    try {
      const max = this.settings.limits.maxBytes;
      const status = outcome.statusCode ?? 0;
      const answered = outcome.completed && status >= 200 && status < 300;
      return captureExchange(this.settings, {
        route: this.route,
        request: readJsonBody(this.request, framing(this.info.requestHeaders), max),
        ...(answered ? { response: readJsonBody(this.response, this.responseFraming, max) } : {}),
        ...(this.subject !== undefined ? { subject: this.subject } : {}),
      });
    } catch {
      // A bug in capture must not cost the request its span: say so and carry on.
      return { [ML.capture]: 'skipped', [ML.captureReason]: 'capture_error' };
    }
  }
}

/** Stands in for a capture that sampling turned down: records why, keeps nothing. */
function sampledOut(route: ModelInfo, pseudoId: string | undefined): ExchangeObserver {
  return {
    onRequestChunk() {},
    onResponseStart() {},
    onResponseChunk() {},
    finish() {
      const attrs: Attributes = { [ML.capture]: 'skipped', [ML.captureReason]: 'sampled_out' };
      if (route.protocol) attrs[ML.protocol] = route.protocol;
      if (route.modelName !== undefined) attrs[ML.modelName] = route.modelName;
      if (route.modelVersion !== undefined) attrs[ML.modelVersion] = route.modelVersion;
      if (pseudoId !== undefined) attrs[ENDUSER.pseudoId] = pseudoId;
      return attrs;
    },
  };
}

/**
 * The sidecar's capture: an observer per inference exchange (POST/PUT/PATCH), none for other
 * methods or when capture is off. `random` is injectable so tests can drive the sampling ratio.
 */
export function createCaptureObserverFactory(
  settings: CaptureSettings,
  random: () => number = Math.random,
): ObserverFactory {
  return (info: ExchangeInfo) => {
    if (!settings.enabled || !CAPTURED_METHODS.has(info.method.toUpperCase())) return undefined;
    const route = resolveRoute(pathOf(info.url), settings.routes);
    const subject = settings.subjectHeader
      ? subjectFromHeaders(info.requestHeaders, settings.subjectHeader)
      : undefined;
    if (settings.sampleRatio < 1 && !(random() < settings.sampleRatio)) {
      const pseudo =
        subject !== undefined ? settings.privacy.pseudonymiser?.pseudonymise(subject, SUBJECT_PURPOSE) : undefined;
      return sampledOut(route, pseudo);
    }
    return new CaptureObserver(settings, info, route, subject);
  };
}

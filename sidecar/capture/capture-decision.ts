import { ENDUSER, ML } from '../../shared/attribute-keys.js';
import type { Attributes } from '../../shared/span-record.js';
import type { ExchangeInfo } from '../proxy/exchange-observer.js';
import type { ModelInfo } from '../proxy/model-path.js';
import type { CaptureSettings } from './capture-settings.js';
import { pathOf } from './detect.js';
import { SUBJECT_PURPOSE } from '../../shared/pseudonyms/hmac.js';
import { subjectFromHeaders } from './privacy/subject.js';
import { resolveRoute } from './route-overrides.js';

/** Methods that carry an inference payload; other exchanges (health checks, metadata) are left alone. */
const CAPTURED_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** Capture this exchange: its route and the raw subject id of the configured header. */
interface CaptureThis {
  capture: true;
  route: ModelInfo;
  subject: string | undefined;
}

/** Do not capture it; the attributes (ml.capture=skipped and why) still go on the span. */
interface SkipThis {
  capture: false;
  attrs: Attributes;
}

/** The attributes of an exchange whose capture was skipped before reading its payload. */
function skippedAttributes(
  route: ModelInfo,
  reason: string,
  settings: CaptureSettings,
  subject: string | undefined,
): Attributes {
  const attrs: Attributes = { [ML.capture]: 'skipped', [ML.captureReason]: reason };
  if (route.protocol) attrs[ML.protocol] = route.protocol;
  if (route.modelName !== undefined) attrs[ML.modelName] = route.modelName;
  if (route.modelVersion !== undefined) attrs[ML.modelVersion] = route.modelVersion;
  const pseudoId =
    subject !== undefined ? settings.privacy.pseudonymiser?.pseudonymise(subject, SUBJECT_PURPOSE) : undefined;
  if (pseudoId !== undefined) attrs[ENDUSER.pseudoId] = pseudoId;
  return attrs;
}

/**
 * THE one place that decides whether an exchange is captured, whether capture then runs on the
 * event loop or in a capture thread: capture off or a method without payload (undefined: nothing
 * on the span), sampled out (skipped, `sampled_out`), else captured. Reasons to skip a request
 * before its payload is read (an objection, for one) belong here.
 */
export function decideCapture(
  settings: CaptureSettings,
  info: ExchangeInfo,
  random: () => number,
): CaptureThis | SkipThis | undefined {
  if (!settings.enabled || !CAPTURED_METHODS.has(info.method.toUpperCase())) return undefined;
  const route = resolveRoute(pathOf(info.url), settings.routes);
  const subject = settings.subjectHeader ? subjectFromHeaders(info.requestHeaders, settings.subjectHeader) : undefined;
  if (settings.sampleRatio < 1 && !(random() < settings.sampleRatio))
    return { capture: false, attrs: skippedAttributes(route, 'sampled_out', settings, subject) };
  return { capture: true, route, subject };
}

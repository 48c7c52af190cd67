import { ML } from '../../../shared/attribute-keys.js';
import { ConfigReader } from '../../../shared/config.js';
import { FeatureEncoder } from '../../telemetry/feature-encoder.js';
import { readJsonBytes, type BodyResult } from '../body-reader.js';
import { captureExchange } from '../capture-pipeline.js';
import { readCaptureSettings, type CaptureSettings } from '../capture-settings.js';
import type { BodyBytes, CaptureJob, CaptureReply, CaptureThreadData } from './capture-job.js';

/** The capture settings a thread reads again from their source (keys do not cross threads). */
export function threadSettings(data: CaptureThreadData): CaptureSettings {
  return readCaptureSettings(new ConfigReader({}, data.source));
}

function read(body: BodyBytes, max: number): BodyResult {
  const raw = body.bytes === null ? null : Buffer.from(body.bytes.buffer, body.bytes.byteOffset, body.bytes.length);
  return readJsonBytes(raw, body.framing, max);
}

/** One per thread: capture runs one exchange at a time. */
const encoder = new FeatureEncoder();

/**
 * Captures one exchange in a capture thread: the pure pipeline on the transferred bodies. With
 * `encode`, the features (set by capture alone) are written as the exporter would write them;
 * the rest stays attributes, read and extended on the proxy's thread.
 */
export function runCaptureJob(settings: CaptureSettings, job: CaptureJob, encode = false): CaptureReply {
  const max = settings.limits.maxBytes;
  try {
    const ex = {
      route: job.route,
      request: read(job.request, max),
      ...(job.response ? { response: read(job.response, max) } : {}),
      ...(job.subject !== undefined ? { subject: job.subject } : {}),
    };
    if (!encode) return { id: job.id, attrs: captureExchange(settings, ex) };
    encoder.start();
    const attrs = captureExchange(settings, ex, encoder);
    const encoded = encoder.finish();
    return encoded ? { id: job.id, attrs, encoded } : { id: job.id, attrs };
  } catch {
    // A bug in capture must not cost the request its span: say so and carry on.
    return { id: job.id, attrs: { [ML.capture]: 'skipped', [ML.captureReason]: 'capture_error' } };
  }
}

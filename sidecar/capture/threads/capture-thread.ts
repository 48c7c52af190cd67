/**
 * A capture thread: reads the capture settings again from their source, then captures each
 * exchange it is sent — parsing, extraction, privacy rules, PII scan, HMAC — and sends back the
 * SERVER span's attributes. Nothing here touches the proxy's event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ML } from '../../../shared/attribute-keys.js';
import { ConfigReader } from '../../../shared/config.js';
import { readJsonBytes, type BodyResult } from '../body-reader.js';
import { captureExchange } from '../capture-pipeline.js';
import { readCaptureSettings } from '../capture-settings.js';
import type { BodyBytes, CaptureJob, CaptureReply, CaptureThreadData } from './capture-job.js';

const { source } = workerData as CaptureThreadData;
const settings = readCaptureSettings(new ConfigReader({}, source));
const max = settings.limits.maxBytes;

function read(body: BodyBytes): BodyResult {
  const raw = body.bytes === null ? null : Buffer.from(body.bytes.buffer, body.bytes.byteOffset, body.bytes.length);
  return readJsonBytes(raw, body.framing, max);
}

parentPort?.on('message', (job: CaptureJob) => {
  let reply: CaptureReply;
  try {
    reply = {
      id: job.id,
      attrs: captureExchange(settings, {
        route: job.route,
        request: read(job.request),
        ...(job.response ? { response: read(job.response) } : {}),
        ...(job.subject !== undefined ? { subject: job.subject } : {}),
      }),
    };
  } catch {
    // A bug in capture must not cost the request its span: say so and carry on.
    reply = { id: job.id, attrs: { [ML.capture]: 'skipped', [ML.captureReason]: 'capture_error' } };
  }
  parentPort?.postMessage(reply);
});

/**
 * A capture thread's entry point: reads the capture settings again from their source, then
 * captures each exchange it is sent — parsing, extraction, privacy rules, PII scan, HMAC, and the
 * features' OTLP encoding — and sends back the SERVER span's attributes. Nothing here runs on the
 * proxy's event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { CaptureJob, CaptureReply, CaptureThreadData } from './capture-job.js';
import { runCaptureJob, threadSettings } from './run-capture-job.js';
import { lowerThreadPriority } from './thread-priority.js';

const data = workerData as CaptureThreadData;
const settings = threadSettings(data);
lowerThreadPriority(settings.threadNice);
// Jobs come in batches (capture-threads.ts); replies go back likewise, one message a batch.
parentPort?.on('message', (jobs: CaptureJob[]) => {
  const replies: CaptureReply[] = jobs.map((j) => runCaptureJob(settings, j, data.encodeFeatures));
  parentPort?.postMessage(replies);
});

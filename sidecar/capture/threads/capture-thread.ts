/**
 * A capture thread's entry point: reads the capture settings again from their source, then
 * captures each exchange it is sent — parsing, extraction, privacy rules, PII scan, HMAC — and
 * sends back the SERVER span's attributes. Nothing here runs on the proxy's event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { CaptureJob, CaptureThreadData } from './capture-job.js';
import { runCaptureJob, threadSettings } from './run-capture-job.js';

const settings = threadSettings(workerData as CaptureThreadData);
// Jobs come in batches (one message per turn of the proxy's event loop); replies go back likewise.
parentPort?.on('message', (jobs: CaptureJob[]) => parentPort?.postMessage(jobs.map((j) => runCaptureJob(settings, j))));

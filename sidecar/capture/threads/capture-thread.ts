/**
 * A capture thread's entry point: reads the capture settings again from their source, then
 * captures each exchange it is sent — parsing, extraction, privacy rules, PII scan, HMAC — and
 * sends back the SERVER span's attributes. Nothing here runs on the proxy's event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { CaptureJob, CaptureThreadData } from './capture-job.js';
import { runCaptureJob, threadSettings } from './run-capture-job.js';

const settings = threadSettings(workerData as CaptureThreadData);
parentPort?.on('message', (job: CaptureJob) => parentPort?.postMessage(runCaptureJob(settings, job)));

/**
 * A capture thread for the fault tests: the real capture, except that a request body containing
 * `crash-capture-thread` kills the thread and one containing `hold-capture-thread` is never
 * answered (a capture that cannot keep up, deterministically).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { CaptureJob, CaptureThreadData } from '../../../../sidecar/capture/threads/capture-job.js';
import { runCaptureJob, threadSettings } from '../../../../sidecar/capture/threads/run-capture-job.js';

const settings = threadSettings(workerData as CaptureThreadData);
const text = (job: CaptureJob): string => Buffer.from(job.request.bytes ?? new Uint8Array()).toString('latin1');

parentPort?.on('message', (jobs: CaptureJob[]) => {
  if (jobs.some((j) => text(j).includes('crash-capture-thread'))) process.exit(70);
  const answered = jobs.filter((j) => !text(j).includes('hold-capture-thread'));
  parentPort?.postMessage(answered.map((j) => runCaptureJob(settings, j)));
});

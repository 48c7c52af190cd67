import type { ObserverFactory } from '../../proxy/exchange-observer.js';
import type { CaptureObserverFactory } from '../capture-observer.js';
import { captureSettingsSource } from '../capture-settings.js';
import { CaptureThreads } from './capture-threads.js';
import { threadedCapture } from './threaded-capture.js';

function isCaptureFactory(f: ObserverFactory): f is CaptureObserverFactory {
  return 'captureSettings' in f;
}

/**
 * Moves capture off the proxy's event loop: a capture factory whose settings ask for threads
 * (`--capture-workers` above 0, the default) runs in capture threads (`given`, else new ones).
 * Any other factory, or capture with 0 threads, is left as it is. `encodeFeatures`: the exporter
 * writes OTLP/protobuf, so new threads send the features back already encoded.
 */
export function offloadCapture(
  observe: ObserverFactory | undefined,
  given: CaptureThreads | undefined,
  encodeFeatures: boolean,
): { observe: ObserverFactory | undefined; threads: CaptureThreads | undefined } {
  if (!observe || !isCaptureFactory(observe) || !observe.captureSettings.enabled) return { observe, threads: given };
  const s = observe.captureSettings;
  const source = captureSettingsSource(s);
  const threads =
    given ??
    (s.workers > 0 && source
      ? new CaptureThreads({
          threads: s.workers,
          maxQueued: s.queue,
          maxBytes: s.queueBytes,
          source,
          encodeFeatures,
        })
      : undefined);
  return { observe: threads ? threadedCapture(observe, threads) : observe, threads };
}

import { ML } from '../../shared/attribute-keys.js';
import type { Attributes } from '../../shared/span-record.js';
import type { ExchangeInfo, ExchangeObserver, ExchangeOutcome } from '../proxy/exchange-observer.js';
import { readJsonBody } from './body-reader.js';
import { captureExchange } from './capture-pipeline.js';
import type { CaptureSettings } from './capture-settings.js';
import type { ModelInfo } from '../proxy/model-path.js';
import { decideCapture } from './capture-decision.js';
import { ExchangeBodies, framing } from './exchange-bodies.js';

/** Buffers both bodies (bounded) and runs the pure pipeline once the exchange is over. */
class CaptureObserver extends ExchangeBodies implements CapturingObserver {
  constructor(
    private readonly settings: CaptureSettings,
    private readonly info: ExchangeInfo,
    private readonly route: ModelInfo,
    private readonly subject: string | undefined,
  ) {
    super(settings.limits.maxBytes);
  }

  finish(outcome: ExchangeOutcome): Attributes {
    try {
      const max = this.settings.limits.maxBytes;
      return captureExchange(this.settings, {
        route: this.route,
        request: readJsonBody(this.request, framing(this.info.requestHeaders), max),
        ...(ExchangeBodies.answered(outcome)
          ? { response: readJsonBody(this.response, this.responseFraming, max) }
          : {}),
        ...(this.subject !== undefined ? { subject: this.subject } : {}),
      });
    } catch {
      // A bug in capture must not cost the request its span: say so and carry on.
      return { [ML.capture]: 'skipped', [ML.captureReason]: 'capture_error' };
    }
  }
}

/** Stands in for a capture decided against (sampling): records why, keeps nothing. */
export function notCaptured(attrs: Attributes): CapturingObserver {
  return {
    onRequestChunk() {},
    onResponseStart() {},
    onResponseChunk() {},
    finish: () => ({ ...attrs }),
  };
}

/** An observer that captures on the event loop: its attributes are there when the exchange ends. */
interface CapturingObserver extends ExchangeObserver {
  finish(outcome: ExchangeOutcome): Attributes;
}

/** A capture observer factory, with the settings it captures under (to run it in capture threads). */
export type CaptureObserverFactory = ((info: ExchangeInfo) => CapturingObserver | undefined) & {
  readonly captureSettings: CaptureSettings;
  readonly random: () => number;
};

/**
 * The sidecar's capture on the event loop: an observer per inference exchange (POST/PUT/PATCH),
 * none for other methods or when capture is off. `random` is injectable so tests can drive the
 * sampling ratio. The sidecar runs the same capture in threads (capture-threads.ts) when
 * `--capture-workers` is above 0.
 */
export function createCaptureObserverFactory(
  settings: CaptureSettings,
  random: () => number = Math.random,
): CaptureObserverFactory {
  const factory = (info: ExchangeInfo): CapturingObserver | undefined => {
    const decision = decideCapture(settings, info, random);
    if (!decision) return undefined;
    if (!decision.capture) return notCaptured(decision.attrs);
    return new CaptureObserver(settings, info, decision.route, decision.subject);
  };
  return Object.assign(factory, { captureSettings: settings, random });
}

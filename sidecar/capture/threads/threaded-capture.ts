import type { Attributes } from '../../../shared/span-record.js';
import type {
  ExchangeInfo,
  ExchangeObserver,
  ExchangeOutcome,
  ObserverFactory,
} from '../../proxy/exchange-observer.js';
import type { ModelInfo } from '../../proxy/model-path.js';
import type { BoundedBody, BodyFraming } from '../body-reader.js';
import { decideCapture } from '../capture-decision.js';
import { notCaptured, type CaptureObserverFactory } from '../capture-observer.js';
import { ExchangeBodies, framing } from '../exchange-bodies.js';
import type { CaptureSettings } from '../capture-settings.js';
import type { BodyBytes } from './capture-job.js';
import type { CaptureThreads } from './capture-threads.js';
import { objectedCapture, type SubjectDenyList } from '../privacy/objections.js';

function bodyBytes(body: BoundedBody, f: BodyFraming): BodyBytes {
  return { bytes: body.overflowed ? null : body.copy(), framing: f };
}

/**
 * Keeps both bodies (bounded) as the proxy streams them, then hands them to a capture thread;
 * the proxy ends the SERVER span when the thread's attributes come back (exchange-observer.ts).
 * The event loop only copies the bytes once.
 */
class ThreadedCaptureObserver extends ExchangeBodies implements ExchangeObserver {
  constructor(
    private readonly threads: CaptureThreads,
    settings: CaptureSettings,
    private readonly info: ExchangeInfo,
    private readonly route: ModelInfo,
    private readonly subject: string | undefined,
    private readonly objections: SubjectDenyList | undefined,
  ) {
    super(settings.limits.maxBytes);
  }

  finish(outcome: ExchangeOutcome): Promise<Attributes> {
    const answered = ExchangeBodies.answered(outcome);
    const captured = this.threads.submit({
      route: this.route,
      request: bodyBytes(this.request, framing(this.info.requestHeaders)),
      ...(answered ? { response: bodyBytes(this.response, this.responseFraming) } : {}),
      ...(this.subject !== undefined ? { subject: this.subject } : {}),
    });
    // The deny-list lives on this thread: a subject the thread found (header or body) is checked here.
    const objections = this.objections;
    return objections ? captured.then((attrs) => objectedCapture(objections, attrs) ?? attrs) : captured;
  }
}

/** The capture of `factory` (same settings, same decision), run in `threads`. */
export function threadedCapture(factory: CaptureObserverFactory, threads: CaptureThreads): ObserverFactory {
  const settings = factory.captureSettings;
  return (info) => {
    const decision = decideCapture(settings, info, factory.random);
    if (!decision) return undefined;
    if (!decision.capture) return notCaptured(decision.attrs);
    return new ThreadedCaptureObserver(threads, settings, info, decision.route, decision.subject, settings.objections);
  };
}

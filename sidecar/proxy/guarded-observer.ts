import type { Attributes } from '../../shared/span-record.js';
import { ML } from '../../shared/attribute-keys.js';
import type { ExchangeInfo, ExchangeObserver, ExchangeOutcome, ObserverFactory } from './exchange-observer.js';

const OBSERVER_ERROR = (): Attributes => ({ [ML.capture]: 'skipped', [ML.captureReason]: 'observer_error' });

/**
 * Calls a capture observer without ever letting it hurt the exchange: the first throw turns the
 * observer off and the SERVER span records `ml.capture = skipped`, `ml.capture.reason = observer_error`.
 */
export class GuardedObserver {
  private observer: ExchangeObserver | undefined;
  private failed = false;

  constructor(factory: ObserverFactory | undefined, info: ExchangeInfo) {
    if (!factory) return;
    try {
      this.observer = factory(info);
    } catch {
      this.failed = true;
    }
  }

  /** False when there is no observer (none configured, not sampled, or it failed). */
  get active(): boolean {
    return this.observer !== undefined;
  }

  private call(fn: (o: ExchangeObserver) => void): void {
    const o = this.observer;
    if (!o) return;
    try {
      fn(o);
    } catch {
      this.failed = true;
      this.observer = undefined;
    }
  }

  requestChunk(chunk: Buffer): void {
    this.call((o) => o.onRequestChunk(chunk));
  }

  responseStart(status: number, headers: Record<string, string | string[] | undefined>): void {
    this.call((o) => o.onResponseStart(status, headers));
  }

  responseChunk(chunk: Buffer): void {
    this.call((o) => o.onResponseChunk(chunk));
  }

  /** The attributes for the SERVER span (empty when there was no observer), maybe to come. */
  finish(outcome: ExchangeOutcome): Attributes | Promise<Attributes> {
    let attrs: Attributes | Promise<Attributes> = {};
    this.call((o) => {
      attrs = o.finish(outcome) ?? {};
    });
    if (this.failed) return OBSERVER_ERROR();
    if (attrs instanceof Promise) return attrs.then((a) => a ?? {}, OBSERVER_ERROR);
    return attrs;
  }
}

import type Database from 'better-sqlite3';
import { Agent } from 'undici';
import type { SpanRecord } from '../../shared/span-record.js';
import type { SpanListener } from '../storage/span-listener.js';
import { encodeFragment, type Destination } from './destination.js';
import type { ForwardConfig } from './forward-config.js';
import type { DestinationStats, ForwardLog } from './forwarder.js';
import { Forwarder } from './forwarder.js';
import { Outbox } from './outbox.js';

/**
 * Forwarding, wired: a SpanListener that puts every stored span into the outbox lane of each
 * destination (in the same database, before the sender is acknowledged), and one Forwarder per
 * destination sending its lane. Lanes of destinations no longer configured are emptied at start.
 */
export interface Forwarding {
  /** Add to the store's listeners (withSpanListeners). */
  listener: SpanListener;
  /** Starts the senders (after the outbox table exists and the collector listens). */
  start(): void;
  /** Stops the senders; what is not delivered stays in the outbox for the next start. */
  stop(): Promise<void>;
  stats(): DestinationStats[];
  /** The destinations, for an erasure's receipt (what may already have been sent where). */
  destinations(): readonly Destination[];
  /** An erasure changed outbox rows (outbox-erasure.ts): count the lanes again. */
  outboxChanged(): void;
}

export interface ForwardingDeps {
  log?: ForwardLog;
  now?: () => number;
  random?: () => number;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function createForwarding(db: Database.Database, config: ForwardConfig, deps: ForwardingDeps = {}): Forwarding {
  const outbox = new Outbox(db, config.maxSpans, deps.now);
  const dispatcher = new Agent({ keepAliveTimeout: 30_000, connections: 4 });
  const forwarders = config.destinations.map(
    (d) =>
      new Forwarder(d, outbox, {
        batchSpans: config.batchSpans,
        timeoutMs: config.timeoutMs,
        backoff: config.backoff,
        dispatcher,
        ...(deps.log === undefined ? {} : { log: deps.log }),
        ...(deps.now === undefined ? {} : { now: deps.now }),
        ...(deps.random === undefined ? {} : { random: deps.random }),
      }),
  );
  const configured = new Set(config.destinations.map((d) => d.key));
  for (const [key, spans] of outbox.lanes()) {
    if (configured.has(key)) continue;
    outbox.clear(key);
    deps.log?.warn(`forwarding: dropped ${spans} spans queued for "${key}", which is no longer configured`);
  }

  const listener: SpanListener = {
    name: 'export-outbox',
    onSpans(spans: readonly SpanRecord[]) {
      if (spans.length === 0) return;
      for (const f of forwarders) {
        const fragments = chunks(spans, config.batchSpans).map((chunk) => ({
          spanCount: chunk.length,
          fragment: encodeFragment(f.destination.kind, chunk),
        }));
        f.noteDropped(outbox.add(f.destination.key, fragments));
        f.wake();
      }
    },
  };

  let started = false;
  return {
    listener,
    start() {
      started = true;
      for (const f of forwarders) f.start();
    },
    async stop() {
      if (started) await Promise.all(forwarders.map((f) => f.stop()));
      started = false;
      await dispatcher.close();
    },
    stats: () => forwarders.map((f) => f.stats()),
    destinations: () => config.destinations,
    outboxChanged: () => outbox.recount(),
  };
}

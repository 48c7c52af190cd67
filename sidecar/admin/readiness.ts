import { Client } from 'undici';
import { errorCode } from '../proxy/upstream-errors.js';

interface ReadyResult {
  ready: boolean;
  /** A sentence for a person (why not ready, or what answered). */
  detail: string;
}

export interface UpstreamCheck {
  check(): Promise<ReadyResult>;
  close(): Promise<void>;
}

/**
 * "Is the model server reachable?" on a connection of its own, so a busy proxy pool neither delays
 * nor fails the probe. Without a health path any HTTP answer counts; with one, only a 2xx does.
 */
export function createUpstreamCheck(upstream: string, healthPath: string | undefined, timeoutMs = 2000): UpstreamCheck {
  const url = new URL(upstream);
  const base = url.pathname.replace(/\/+$/, '');
  const client = new Client(url.origin, {
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    connect: { timeout: timeoutMs },
  });
  const path = healthPath ?? `${base}/`;
  return {
    async check(): Promise<ReadyResult> {
      try {
        const res = await client.request({ method: 'GET', path });
        await res.body.dump();
        if (healthPath !== undefined && (res.statusCode < 200 || res.statusCode > 299)) {
          return { ready: false, detail: `the model server answered ${res.statusCode} on ${healthPath}` };
        }
        return { ready: true, detail: `the model server answered ${res.statusCode} on ${path}` };
      } catch (err) {
        return { ready: false, detail: `cannot reach the model server at ${upstream} (${errorCode(err)})` };
      }
    },
    close: () => client.close(),
  };
}

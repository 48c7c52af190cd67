import type { MetricFamily } from '../metrics/latency/prometheus/metric-family.js';
import type { MetricSource } from '../metrics/latency/prometheus/metric-registry.js';

/** Why a request was refused: no token, not a bearer token, a token nobody issued (or revoked), too few scopes. */
export type FailureReason = 'missing' | 'malformed' | 'unknown' | 'insufficient_scope';

/** Refused requests by reason and the scope the route needed, for /metrics. */
export class AuthFailures {
  readonly #counts = new Map<string, number>();

  add(reason: FailureReason, needed: string): void {
    const key = `${reason} ${needed}`;
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
  }

  metricSource(): MetricSource {
    return (): MetricFamily[] => [
      {
        type: 'counter',
        name: 'infertrace_auth_failures_total',
        help: 'Requests refused for want of a valid token with the scope the route needs, by reason and scope.',
        samples: [...this.#counts].map(([key, value]) => {
          const [reason = '', scope = ''] = key.split(' ');
          return { labels: { reason, scope }, value };
        }),
      },
    ];
  }
}

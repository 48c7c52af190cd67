import type { MetricFamily } from './metric-family.js';

const SELF = 'infertrace_metric_source_failures';

/** Returns the families a part of the collector exposes right now; called on every scrape. */
export type MetricSource = () => readonly MetricFamily[];

/**
 * The collector's one list of metric sources for `/metrics`. Latency registers its RED metrics;
 * ingest, storage and others register theirs with `register(() => [...families])`. A source that
 * throws is skipped for that scrape and counted, and a family name already written by an earlier
 * source is skipped, so one faulty source cannot break the scrape for the others.
 */
export class MetricRegistry {
  private readonly sources: MetricSource[] = [];
  private failures = 0;

  /** Adds a source; returns a function that removes it again. */
  register(source: MetricSource): () => void {
    this.sources.push(source);
    return () => {
      const i = this.sources.indexOf(source);
      if (i >= 0) this.sources.splice(i, 1);
    };
  }

  collect(): MetricFamily[] {
    const seen = new Set<string>();
    const out: MetricFamily[] = [];
    for (const source of this.sources) {
      let families: readonly MetricFamily[];
      try {
        families = source();
      } catch {
        this.failures += 1;
        continue;
      }
      for (const f of families) {
        const key = f.type === 'counter' ? f.name.replace(/_total$/, '') : f.name;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(f);
      }
    }
    if (!seen.has(SELF))
      out.push({
        type: 'counter',
        name: SELF,
        help: 'Scrapes in which a metric source threw and was left out.',
        samples: [{ labels: {}, value: this.failures }],
      });
    return out;
  }
}

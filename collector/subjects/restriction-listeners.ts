import type { SpanRecord } from '../../shared/span-record.js';
import type { SpanListener } from '../storage/span-listener.js';
import { carriesAny } from './span-pseudonyms.js';

/**
 * A listener that does not see the spans of the given subjects: drift and relationship summaries
 * skip restricted and objecting subjects (Art. 18, 21). A batch span is skipped whole when any of
 * its subjects is excluded (the other rows' contribution is lost to the summaries, never leaked).
 */
export function skippingSubjects(listener: SpanListener, excluded: () => ReadonlySet<string>): SpanListener {
  return {
    name: listener.name,
    onSpans(spans: readonly SpanRecord[]) {
      const set = excluded();
      if (set.size === 0) return listener.onSpans(spans);
      const kept = spans.filter((s) => !carriesAny(s, set));
      if (kept.length > 0) listener.onSpans(kept);
    },
  };
}

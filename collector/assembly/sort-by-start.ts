import type { Adjuster, WorkingSpan, WorkingTrace } from './working-trace.js';

/**
 * Orders spans by start time (then span id, so equal starts order the same way every time) and
 * each span's events by time. The tree builder keeps this order, so siblings read in the order
 * they happened. Runs after the clock-skew adjuster, which may move start times.
 */
export const sortByStart: Adjuster = {
  name: 'sort-by-start',
  adjust(trace: WorkingTrace): WorkingTrace {
    const spans = trace.spans.map(sortEvents).sort(compareSpans);
    return { ...trace, spans };
  },
};

function compareSpans(a: WorkingSpan, b: WorkingSpan): number {
  if (a.startTimeUnixNano !== b.startTimeUnixNano) return a.startTimeUnixNano < b.startTimeUnixNano ? -1 : 1;
  return a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0;
}

function sortEvents(span: WorkingSpan): WorkingSpan {
  const inOrder = span.events.every(
    (e, i, all) => i === 0 || (all[i - 1] as (typeof all)[number]).timeUnixNano <= e.timeUnixNano,
  );
  if (inOrder) return span;
  // A stable sort keeps events of the same instant in the order they were recorded.
  const events = [...span.events].sort((a, b) =>
    a.timeUnixNano < b.timeUnixNano ? -1 : a.timeUnixNano > b.timeUnixNano ? 1 : 0,
  );
  return { ...span, events };
}

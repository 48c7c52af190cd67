import type { ModelSpan, SpanReader } from '../storage/span-store.js';

/**
 * The SERVER spans of a model in a time range, oldest first, in pages of at most `pageSpans`
 * spans, through the store's own narrow scan (SpanReader.scanModelSpans). The scan answers newest
 * first and stops at a limit, so the range is walked in sub-windows whose width adapts: a
 * sub-window that holds more than a page is halved and read again; one that holds less than half
 * a page doubles the next. Memory is one page, whatever the range holds; the caller
 * pulls the next page only when it has written the last one.
 */
export interface SpanPageQuery {
  model: string;
  version?: string;
  startNano: bigint;
  endNano: bigint;
}

const FIRST_STEP_NS = 1_000_000_000n; // 1 s: grows to the traffic's rate within a few pages
const MIN_STEP_NS = 1_000_000n; // 1 ms: a sub-window this narrow is read whole, however full

const byStart = (a: ModelSpan, b: ModelSpan): number =>
  a.startNano < b.startNano
    ? -1
    : a.startNano > b.startNano
      ? 1
      : a.traceId < b.traceId
        ? -1
        : a.traceId > b.traceId
          ? 1
          : 0;

export interface PageStats {
  /** Scans run, and those cut short because their sub-window held more than a page. */
  scans: number;
  retried: number;
}

export async function* spanPages(
  source: Pick<SpanReader, 'scanModelSpans'>,
  q: SpanPageQuery,
  pageSpans: number,
  stats: PageStats = { scans: 0, retried: 0 },
): AsyncGenerator<ModelSpan[]> {
  let from = q.startNano;
  let step = FIRST_STEP_NS;
  while (from < q.endNano) {
    const to = from + step < q.endNano ? from + step : q.endNano;
    const page: ModelSpan[] = [];
    const whole = step <= MIN_STEP_NS;
    const query = {
      model: q.model,
      startNano: from,
      endNano: to,
      ...(q.version === undefined ? {} : { version: q.version }),
    };
    const result = await source.scanModelSpans(query, whole ? Number.MAX_SAFE_INTEGER : pageSpans, (span) => {
      page.push(span);
    });
    stats.scans += 1;
    if (!result.complete && !whole) {
      stats.retried += 1;
      step = step / 2n > MIN_STEP_NS ? step / 2n : MIN_STEP_NS;
      continue;
    }
    from = to;
    if (page.length * 2 < pageSpans) step *= 2n;
    if (page.length === 0) continue;
    page.sort(byStart);
    yield page;
  }
}

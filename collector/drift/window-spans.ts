import type { SpanReader } from '../storage/span-store.js';

/**
 * Where drift reads the stored SERVER spans of one model in a time window, for what summaries
 * cannot give: window edges finer than a bucket, slices, and exemplar requests. The span store's
 * own scan (SpanReader.scanModelSpans): narrow, read-only, stopping early.
 */
export type WindowSpanSource = Pick<SpanReader, 'scanModelSpans'>;
export type { ModelSpanQuery as WindowSpanQuery } from '../storage/span-store.js';

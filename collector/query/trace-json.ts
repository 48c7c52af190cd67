import { ML } from '../../shared/attribute-keys.js';
import type { Attributes, SpanKind, StatusCode } from '../../shared/span-record.js';
import { nanoToMicros } from '../../shared/time.js';
import type { TraceNode, TraceTree } from '../assembly/build-tree.js';
import { walkTree } from '../assembly/build-tree.js';
import { attributeText } from '../storage/span-match.js';
import type { TraceSummary } from '../storage/span-store.js';

/**
 * The query API's JSON shapes, and the pure conversions into them. Nanosecond times travel as
 * decimal strings (exact) beside microsecond numbers (convenient); bigint never reaches
 * JSON.stringify. Durations and offsets in µs may have a fraction (nanosecond precision).
 *
 * The tree travels flat: spans in tree order (parents before children, siblings by start time) with
 * their depth and child ids. Nested objects would make a trace thousands of spans deep too deep for
 * JSON.stringify and JSON.parse (both recurse), and flat lists are what trace UIs consume anyway.
 */
interface EventJson {
  name: string;
  timeUnixNano: string;
  timeMicros: number;
  /** From the start of the span, in µs. */
  offsetMicros: number;
  attributes: Attributes;
}

export interface SpanJson {
  spanId: string;
  /** The id the span was stored under, present only when assembly had to give it a new one. */
  originalSpanId?: string;
  parentSpanId: string;
  traceState: string;
  name: string;
  kind: SpanKind;
  serviceName: string;
  startTimeUnixNano: string;
  startTimeMicros: number;
  endTimeUnixNano: string;
  /** From the start of the trace, in µs. */
  offsetMicros: number;
  durationNano: string;
  durationMicros: number;
  status: { code: StatusCode; message: string };
  attributes: Attributes;
  events: EventJson[];
  links: { traceId: string; spanId: string; traceState: string; attributes: Attributes }[];
  resource: Attributes;
  scope: { name: string; version: string };
  flags: number;
  /** 0 for a root. */
  depth: number;
  /** Ids of the span's children, in start order. */
  childSpanIds: string[];
  /** What assembly changed or doubted about this span. */
  warnings: string[];
}

interface TraceTimes {
  traceId: string;
  rootService: string;
  rootOperation: string;
  startTimeUnixNano: string;
  startTimeMicros: number;
  /** The start as ISO 8601 (millisecond precision), for people. */
  startTime: string;
  durationNano: string;
  durationMicros: number;
  spanCount: number;
  errorCount: number;
  services: string[];
  requestIds: string[];
}

/** `GET /api/traces/{traceId}`, and each trace of `GET /api/requests/{requestId}`. */
export interface TraceJson extends TraceTimes {
  warnings: string[];
  /** Ids of the spans shown as roots: the real root, and any orphans or loop breakers. */
  rootSpanIds: string[];
  /** Every span, in tree order (a pre-order walk). */
  spans: SpanJson[];
}

/** One line of `GET /api/traces?...`. */
export type TraceSummaryJson = TraceTimes;

export interface SearchJson {
  traces: TraceSummaryJson[];
  limit: number;
}

export interface RequestJson {
  requestId: string;
  /** Most recent first. */
  traces: TraceJson[];
  /** How many traces carry the request id (more than `traces` holds when over the cap). */
  totalTraces: number;
}

export function traceToJson(tree: TraceTree): TraceJson {
  const nodes = walkTree(tree);
  let start: bigint | undefined;
  let end: bigint | undefined;
  let errorCount = 0;
  const services = new Set<string>();
  const requestIds = new Set<string>();
  for (const { span } of nodes) {
    if (start === undefined || span.startTimeUnixNano < start) start = span.startTimeUnixNano;
    if (end === undefined || span.endTimeUnixNano > end) end = span.endTimeUnixNano;
    if (span.status.code === 'ERROR') errorCount++;
    services.add(span.serviceName);
    const rid = attributeText(span.attributes[ML.requestId]);
    if (rid !== undefined) requestIds.add(rid);
  }
  const t0 = start ?? 0n;
  const root = tree.roots[0]?.span;
  return {
    ...times(
      tree.traceId,
      root?.serviceName ?? '',
      root?.name ?? '',
      t0,
      end !== undefined && end > t0 ? end - t0 : 0n,
    ),
    spanCount: tree.spanCount,
    errorCount,
    services: [...services].sort(),
    requestIds: [...requestIds].sort(),
    warnings: [...tree.warnings],
    rootSpanIds: tree.roots.map((r) => r.span.spanId),
    spans: nodes.map((n) => spanToJson(n, t0)),
  };
}

export function summaryToJson(s: TraceSummary): TraceSummaryJson {
  return {
    ...times(s.traceId, s.rootService, s.rootOperation, s.startTimeUnixNano, s.durationNano),
    spanCount: s.spanCount,
    errorCount: s.errorCount,
    services: [...s.services],
    requestIds: [...s.requestIds],
  };
}

function times(traceId: string, rootService: string, rootOperation: string, start: bigint, duration: bigint) {
  return {
    traceId,
    rootService,
    rootOperation,
    startTimeUnixNano: start.toString(),
    startTimeMicros: nanoToMicros(start),
    startTime: new Date(Number(start / 1_000_000n)).toISOString(),
    durationNano: duration.toString(),
    durationMicros: micros(duration),
  };
}

function spanToJson(node: TraceNode, traceStart: bigint): SpanJson {
  const s = node.span;
  const duration = s.endTimeUnixNano > s.startTimeUnixNano ? s.endTimeUnixNano - s.startTimeUnixNano : 0n;
  const json: SpanJson = {
    spanId: s.spanId,
    parentSpanId: s.parentSpanId,
    traceState: s.traceState,
    name: s.name,
    kind: s.kind,
    serviceName: s.serviceName,
    startTimeUnixNano: s.startTimeUnixNano.toString(),
    startTimeMicros: nanoToMicros(s.startTimeUnixNano),
    endTimeUnixNano: s.endTimeUnixNano.toString(),
    offsetMicros: micros(s.startTimeUnixNano - traceStart),
    durationNano: duration.toString(),
    durationMicros: micros(duration),
    status: { ...s.status },
    attributes: s.attributes,
    events: s.events.map((e) => ({
      name: e.name,
      timeUnixNano: e.timeUnixNano.toString(),
      timeMicros: nanoToMicros(e.timeUnixNano),
      offsetMicros: micros(e.timeUnixNano - s.startTimeUnixNano),
      attributes: e.attributes,
    })),
    links: s.links,
    resource: s.resource,
    scope: s.scope,
    flags: s.flags,
    depth: node.depth,
    childSpanIds: node.children.map((c) => c.span.spanId),
    warnings: [...s.warnings],
  };
  if (s.originalSpanId !== undefined) json.originalSpanId = s.originalSpanId;
  return json;
}

/** Nanoseconds to microseconds, keeping the nanoseconds as a fraction. */
function micros(ns: bigint): number {
  return Number(ns) / 1000;
}

import type { SpanRecord } from '../../shared/span-record.js';
import { durationNano, isUntimed, UNKNOWN_SERVICE } from '../../shared/span-record.js';
import type { Adjuster, WorkingSpan, WorkingTrace } from './working-trace.js';
import { warn } from './working-trace.js';

/**
 * Folds untimed spans (Zipkin spans sent without a timestamp: late data about a span, see
 * isUntimed) into their timed half, as Zipkin merges the parts of one span.
 *
 * The partner is the earliest timed span of the same id that agrees where the untimed one says
 * something: the same kind when it names one, the same service when it has a local endpoint. The
 * partner keeps its timing, ids and name (the untimed half fills them only where the partner has
 * none); the untimed half's tags are added (they win: they were sent later), its annotations
 * appended, an ERROR status kept. Nothing to warn about: this is how such spans are meant to meet.
 *
 * A lone untimed span (its timed half never arrived) is still shown, at the best time known: its
 * first annotation, else its parent's start, else the trace's first start (else where it is); its
 * duration, if it sent one, is kept. That is a guess, so it carries a warning saying which.
 */
export const untimedMerger: Adjuster = {
  name: 'untimed-merger',
  adjust(trace: WorkingTrace): WorkingTrace {
    if (!trace.spans.some(isUntimed)) return trace;
    const { timed, lone } = foldUntimed(trace.spans);
    const warnings = [...trace.warnings];
    const earliest = timed.reduce<bigint | undefined>(
      (min, s) => (min === undefined || s.startTimeUnixNano < min ? s.startTimeUnixNano : min),
      undefined,
    );
    const placed = lone.map((late) => place(late, timed, earliest, warnings));
    return { ...trace, spans: [...timed, ...placed], warnings };
  },
};

/** The timed spans with their untimed halves folded in, and the untimed spans that found none. */
export function foldUntimed<S extends SpanRecord>(spans: readonly S[]): { timed: S[]; lone: S[] } {
  const timed = spans.filter((s) => !isUntimed(s));
  const lone: S[] = [];
  for (const late of spans.filter(isUntimed)) {
    const i = timed.findIndex((s) => isPartner(s, late));
    if (i < 0) lone.push(late);
    else timed[i] = fold(timed[i] as S, late);
  }
  return { timed, lone };
}

function isPartner(candidate: SpanRecord, late: SpanRecord): boolean {
  if (candidate.spanId !== late.spanId) return false;
  // Zipkin's absent kind decodes as INTERNAL: it says nothing about which side the data is for.
  if (late.kind !== 'INTERNAL' && candidate.kind !== late.kind) return false;
  return late.serviceName === UNKNOWN_SERVICE || candidate.serviceName === late.serviceName;
}

function fold<S extends SpanRecord>(into: S, late: S): S {
  return {
    ...into,
    name: into.name !== '' ? into.name : late.name,
    parentSpanId: into.parentSpanId !== '' ? into.parentSpanId : late.parentSpanId,
    attributes: { ...into.attributes, ...late.attributes },
    events: [...into.events, ...late.events],
    status: late.status.code === 'ERROR' ? late.status : into.status,
  };
}

function place(
  late: WorkingSpan,
  timed: readonly SpanRecord[],
  earliest: bigint | undefined,
  warnings: string[],
): WorkingSpan {
  const firstEvent = late.events.reduce<bigint | undefined>(
    (min, e) => (min === undefined || e.timeUnixNano < min ? e.timeUnixNano : min),
    undefined,
  );
  const parent = late.parentSpanId === '' ? undefined : timed.find((s) => s.spanId === late.parentSpanId);
  const [at, where] =
    firstEvent !== undefined && firstEvent > 0n
      ? [firstEvent, 'at its first annotation']
      : parent !== undefined
        ? [parent.startTimeUnixNano, "at its parent's start"]
        : earliest !== undefined
          ? [earliest, "at the trace's start"]
          : [undefined, 'without a time'];
  const moved = at === undefined ? late : { ...late, startTimeUnixNano: at, endTimeUnixNano: at + durationNano(late) };
  return warn(warnings, moved, `sent without a timestamp, and no timed span of the same id arrived; shown ${where}`);
}

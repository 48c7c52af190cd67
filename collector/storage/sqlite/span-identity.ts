/**
 * The kind as the duplicate check keys a span: (trace id, span id, kind) for a timed span; an
 * untimed one (start 0, see isUntimed) has a key of its own, so the late half of a Zipkin span —
 * same id and kind, no timestamp — is kept beside the timed half instead of dropped as a retry.
 */
const UNTIMED_OFFSET = 8;

export function identityKind(kind: number, untimed: boolean): number {
  return untimed ? kind + UNTIMED_OFFSET : kind;
}

/**
 * W3C Trace Context Level 2 `traceparent`: parsing with the spec's versioning rules and formatting
 * of version 00. Pure functions; `undefined` means "ignore the header and restart the trace".
 */

const FLAG_SAMPLED = 0x01;
/** Level 2: at least the right-most 7 bytes of the trace id are random. */
const FLAG_RANDOM = 0x02;

export interface TraceParent {
  version: number;
  traceId: string;
  parentId: string;
  sampled: boolean;
  random: boolean;
}

const HEX2 = /^[0-9a-f]{2}$/;
const V00 = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const FUTURE = /^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(?:-|$)/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);
/** Length of a version-00 value; a higher version must be at least this long. */
const V00_LENGTH = 55;
/** Spaces and tabs are the only optional whitespace HTTP allows around a field value. */
const OWS = /^[ \t]+|[ \t]+$/g;

/**
 * Parses one `traceparent` value. Several values (duplicate headers, or one header holding a
 * comma-joined pair) are invalid: the spec restarts the trace rather than guessing which one counts.
 */
export function parseTraceParent(header: string | string[] | undefined): TraceParent | undefined {
  if (header === undefined) return undefined;
  if (Array.isArray(header)) {
    if (header.length !== 1) return undefined;
    header = header[0] as string;
  }
  const value = header.replace(OWS, '');
  const version = value.slice(0, 2);
  if (!HEX2.test(version) || value[2] !== '-' || version === 'ff') return undefined;
  // Version 00 is exact; a higher version is read by position and may carry more fields after a dash.
  const m = version === '00' ? V00.exec(value) : value.length >= V00_LENGTH ? FUTURE.exec(value) : null;
  if (!m) return undefined;
  const traceId = m[1] as string;
  const parentId = m[2] as string;
  if (traceId === ZERO_TRACE || parentId === ZERO_SPAN) return undefined;
  const flags = parseInt(m[3] as string, 16);
  return {
    version: parseInt(version, 16),
    traceId,
    parentId,
    sampled: (flags & FLAG_SAMPLED) !== 0,
    random: (flags & FLAG_RANDOM) !== 0,
  };
}

/** Formats a version-00 value; flags other than sampled and random are always zero. */
export function formatTraceParent(ctx: { traceId: string; spanId: string; sampled: boolean; random: boolean }): string {
  const flags = (ctx.sampled ? FLAG_SAMPLED : 0) | (ctx.random ? FLAG_RANDOM : 0);
  return `00-${ctx.traceId}-${ctx.spanId}-0${flags.toString(16)}`;
}

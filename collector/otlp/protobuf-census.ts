import type { DecodeMeter } from '../receiver/decode-meter.js';
import type { EventLoopPace } from '../receiver/event-loop-pace.js';
import { ProtoReader, WIRE } from './proto-reader.js';

/**
 * A quick count, before decoding, of what an ExportTraceServiceRequest holds: resource spans, scope
 * spans, spans, and each span's attributes, events and links — a part of what the decoder counts
 * on the meter, found by reading only tags and lengths (a few ns a field, against 50–100 ns to
 * build one). When that part alone passes the meter's value limit the body is refused with
 * too_many_values at once, instead of after building millions of values (one span of 5,000,000
 * empty attributes). Each counted item takes at least 2 bytes, so smaller bodies are not counted.
 * Malformed bytes end the count silently: the decoder then says where they are. The count gives
 * way to the event loop as `pace` asks.
 */
/** Tags of Span.attributes (9), events (11) and links (13), length-delimited, as one byte each. */
const ATTRIBUTES_TAG = (9 << 3) | WIRE.LEN;
const EVENTS_TAG = (11 << 3) | WIRE.LEN;
const LINKS_TAG = (13 << 3) | WIRE.LEN;
/** Fields counted between two looks at the pace. */
const PACE_STEP = 65_536;

export async function refuseCrowdedProtobuf(body: Buffer, meter: DecodeMeter, pace: EventLoopPace): Promise<void> {
  const max = meter.limits.maxValues;
  if (body.length / 2 <= max) return;
  const r = new ProtoReader(body);
  let count = 0;
  let nextLook = PACE_STEP;
  const counted = async (): Promise<void> => {
    if (++count > max) meter.value(count); // throws too_many_values
    if (count >= nextLook) {
      nextLook = count + PACE_STEP;
      if (pace.due()) await pace.giveWay();
    }
  };
  /** Calls `inner` on each length-delimited field `field` between r.pos and `end`. */
  const each = async (end: number, field: number, inner: (stop: number) => Promise<void>): Promise<void> => {
    while (r.pos < end) {
      const tag = r.uint32(end);
      if (tag >>> 3 === field && (tag & 7) === WIRE.LEN) {
        const stop = r.lengthDelimited(end);
        await counted();
        await inner(stop);
        r.pos = stop;
      } else r.skip(tag & 7, end);
    }
  };
  const spanFields = async (end: number): Promise<void> => {
    let pos = r.pos;
    while (pos < end) {
      // The fast path, in the loop itself: a one-byte tag of a counted field and a one-byte length.
      const tag = body[pos] as number;
      const length = body[pos + 1] as number;
      if ((tag === ATTRIBUTES_TAG || tag === EVENTS_TAG || tag === LINKS_TAG) && length < 0x80 && pos + 1 < end) {
        pos += 2 + length;
        if (++count > max) meter.value(count); // throws too_many_values
        if (count >= nextLook) {
          nextLook = count + PACE_STEP;
          if (pace.due()) await pace.giveWay();
        }
        continue;
      }
      r.pos = pos;
      const t = r.uint32(end);
      if ((t & 7) === WIRE.LEN && (t >>> 3 === 9 || t >>> 3 === 11 || t >>> 3 === 13)) {
        r.pos = r.lengthDelimited(end);
        await counted();
      } else r.skip(t & 7, end);
      pos = r.pos;
    }
    r.pos = Math.min(pos, end);
  };
  try {
    await each(body.length, 1, (resource) => each(resource, 2, (scope) => each(scope, 2, spanFields)));
  } catch (err) {
    if (count > max) throw err;
  }
}

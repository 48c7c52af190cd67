import type { AttributeValue } from '../../shared/span-record.js';
import type { FeatureSink } from '../capture/flatten.js';
import { anyValue } from './otlp-attributes.js';
import { toOtelValue } from './otel-attribute-values.js';
import { ProtoWriter } from './proto-writer.js';

/** Encoded keys kept per prefix; past it the cache starts again (names can come from payloads). */
const MAX_KEYS = 16_384;

/**
 * Writes captured features straight into their OTLP/protobuf encoding as a span's attributes
 * (field 9, one KeyValue each), the bytes the stock serializer writes for the same attributes
 * (feature-encoder.test.ts compares them). No attributes object is built: each feature's key is
 * encoded once per name and reused (models send the same names every call), and each value is
 * converted as the SDK path converts it (toOtelValue) and written at once. One encoder per
 * capture thread, reused: `start`, the features, `finish`.
 */
export class FeatureEncoder implements FeatureSink {
  private readonly w = new ProtoWriter(1 << 16);
  private readonly keys = new Map<string, Map<string, Uint8Array>>();

  start(): void {
    this.w.reset();
  }

  put(prefix: string, name: string, value: AttributeValue): void {
    const v = toOtelValue(value);
    if (v === undefined) return;
    const w = this.w;
    w.byte(0x4a); // field 9 (attributes), length-delimited
    const kvAt = w.begin();
    w.raw(this.key(prefix, name));
    w.byte(0x12);
    const vAt = w.begin();
    anyValue(w, v);
    w.end(vAt);
    w.end(kvAt);
  }

  /**
   * The features written since `start` as a latin1 string (a byte a character), or undefined when
   * there were none. A string, not bytes: it crosses to the proxy's thread as a copy in that
   * thread's young generation, freed by the next scavenge. An ArrayBuffer per exchange instead
   * counted as external memory there and brought a full mark-compact every ~200 ms at 1,000 req/s
   * (--trace-gc), each pausing the event loop 4-8 ms.
   */
  finish(): string | undefined {
    const w = this.w;
    return w.pos === 0 ? undefined : Buffer.from(w.buf.buffer, w.buf.byteOffset, w.pos).toString('latin1');
  }

  /** The key's field (tag, length, UTF-8), encoded once per prefix and name. */
  private key(prefix: string, name: string): Uint8Array {
    let byName = this.keys.get(prefix);
    if (!byName) this.keys.set(prefix, (byName = new Map()));
    let bytes = byName.get(name);
    if (bytes === undefined) {
      if (byName.size >= MAX_KEYS) byName.clear();
      const kw = new ProtoWriter(64);
      kw.byte(0x0a);
      kw.string(prefix + name);
      bytes = kw.buf.slice(0, kw.pos);
      byName.set(name, bytes);
    }
    return bytes;
  }
}

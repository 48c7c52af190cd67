import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

/**
 * Keeps at most `max` bytes of a streamed body. Past the limit it lets go of what it held and
 * only counts, so a large body costs the observer no memory.
 */
export class BoundedBody {
  private chunks: Buffer[] = [];
  private held = 0;
  private seen = 0;
  private over = false;

  constructor(private readonly max: number) {}

  push(chunk: Buffer): void {
    this.seen += chunk.length;
    if (this.over) return;
    if (this.held + chunk.length > this.max) {
      this.over = true;
      this.chunks = [];
      this.held = 0;
      return;
    }
    this.chunks.push(chunk);
    this.held += chunk.length;
  }

  get overflowed(): boolean {
    return this.over;
  }

  get size(): number {
    return this.seen;
  }

  /** What is held, copied into memory of its own (an ArrayBuffer that can be transferred to a thread). */
  copy(): Uint8Array {
    const out = new Uint8Array(this.held);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }

  bytes(): Buffer {
    return this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks, this.held);
  }
}

export type BodyProblem = 'no_body' | 'too_large' | 'encoded_body' | 'not_json' | 'invalid_json';

export type BodyResult = { ok: true; json: unknown } | { ok: false; reason: BodyProblem };

export interface BodyFraming {
  /** `content-encoding`; gzip, deflate and br are decoded (bounded by the size limit). */
  contentEncoding?: string;
  /** `inference-header-content-length` (OIP binary extension): only this many bytes are JSON. */
  jsonLength?: number;
}

function decode(raw: Buffer, encoding: string | undefined, max: number): Buffer | BodyProblem {
  const e = (encoding ?? 'identity').trim().toLowerCase();
  const options = { maxOutputLength: max };
  try {
    if (e === 'identity' || e === '') return raw;
    if (e === 'gzip' || e === 'x-gzip') return gunzipSync(raw, options);
    if (e === 'deflate') return inflateSync(raw, options);
    if (e === 'br') return brotliDecompressSync(raw, options);
  } catch (err) {
    return err instanceof RangeError ? 'too_large' : 'encoded_body';
  }
  return 'encoded_body';
}

function firstSignificant(buf: Buffer): number | undefined {
  for (const b of buf)
    if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09 && b !== 0xef && b !== 0xbb && b !== 0xbf) return b;
  return undefined;
}

/** Decodes and parses a captured body; every failure is a reason, never an exception. */
export function readJsonBody(body: BoundedBody, framing: BodyFraming, max: number): BodyResult {
  return readJsonBytes(body.overflowed ? null : body.bytes(), framing, max);
}

/** The same for the bytes of a body (null: it was over the size limit), as a capture thread gets them. */
export function readJsonBytes(raw: Buffer | null, framing: BodyFraming, max: number): BodyResult {
  if (raw === null) return { ok: false, reason: 'too_large' };
  if (raw.length === 0) return { ok: false, reason: 'no_body' };
  const decoded = decode(raw, framing.contentEncoding, max);
  if (typeof decoded === 'string') return { ok: false, reason: decoded };
  const length = framing.jsonLength;
  const text = length !== undefined && length >= 0 && length < decoded.length ? decoded.subarray(0, length) : decoded;
  const first = firstSignificant(text);
  if (first !== 0x7b && first !== 0x5b) return { ok: false, reason: first === undefined ? 'no_body' : 'not_json' };
  try {
    const str = text.toString('utf8');
    // A byte-order mark is not JSON; test its one character rather than run a regex over the body.
    return { ok: true, json: JSON.parse(str.charCodeAt(0) === 0xfeff ? str.slice(1) : str) as unknown };
  } catch {
    return { ok: false, reason: 'invalid_json' };
  }
}

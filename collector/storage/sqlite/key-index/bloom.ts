/**
 * A Bloom filter over 48-bit integer keys: "certainly absent" or "maybe present". Each lookup run
 * keeps one over its trace keys, so writing a span of a new trace needs no disk probe to prove the
 * span is not a duplicate. About 10 bits per key and 7 probes: ~1% false positives.
 */
const BITS_PER_KEY = 10;
const PROBES = 7;

export class BloomFilter {
  readonly bits: Uint8Array;

  constructor(bits: Uint8Array) {
    this.bits = bits;
  }

  static forKeys(keys: Iterable<number>, count: number): BloomFilter {
    const bytes = Math.max(8, Math.ceil((Math.max(1, count) * BITS_PER_KEY) / 8));
    const filter = new BloomFilter(new Uint8Array(bytes));
    for (const key of keys) filter.add(key);
    return filter;
  }

  add(key: number): void {
    const m = this.bits.length * 8;
    let [h1, h2] = bloomHashes(key);
    for (let i = 0; i < PROBES; i++) {
      const bit = (h1 >>> 0) % m;
      this.bits[bit >>> 3] = (this.bits[bit >>> 3] as number) | (1 << (bit & 7));
      h1 = (h1 + h2) | 0;
      h2 = (h2 + i) | 0;
    }
  }

  mayContain(key: number): boolean {
    return this.mayContainHashed(bloomHashes(key));
  }

  /** As mayContain, with the key's hashes computed once for many filters (see bloomHashes). */
  mayContainHashed([first, step]: readonly [number, number]): boolean {
    const m = this.bits.length * 8;
    let h1 = first;
    let h2 = step;
    for (let i = 0; i < PROBES; i++) {
      const bit = (h1 >>> 0) % m;
      if (((this.bits[bit >>> 3] as number) & (1 << (bit & 7))) === 0) return false;
      h1 = (h1 + h2) | 0;
      h2 = (h2 + i) | 0;
    }
    return true;
  }
}

/** Two 32-bit hashes of a key below 2^48 (double hashing derives the probes from them). */
export function bloomHashes(key: number): [number, number] {
  const lo = key % 0x1_0000_0000;
  const hi = Math.floor(key / 0x1_0000_0000);
  let a = Math.imul(lo ^ 0x9e3779b9, 0x85ebca6b) ^ hi;
  a = Math.imul(a ^ (a >>> 13), 0xc2b2ae35);
  a ^= a >>> 16;
  let b = Math.imul(hi ^ 0x27d4eb2f, 0x165667b1) ^ lo;
  b = Math.imul(b ^ (b >>> 15), 0x2c1b3c6d);
  b ^= b >>> 13;
  return [a, b | 1];
}

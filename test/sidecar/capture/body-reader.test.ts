import { brotliCompressSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BoundedBody, readJsonBody, type BodyFraming } from '../../../sidecar/capture/body-reader.js';

function body(chunks: (string | Buffer)[], max = 1024): BoundedBody {
  const b = new BoundedBody(max);
  for (const c of chunks) b.push(typeof c === 'string' ? Buffer.from(c) : c);
  return b;
}

const big = JSON.stringify({ text: 'x'.repeat(5000) });

describe('reading a captured body', () => {
  it.each<[string, (string | Buffer)[], BodyFraming, unknown]>([
    ['one chunk', ['{"a":1}'], {}, { ok: true, json: { a: 1 } }],
    ['split across chunks', ['{"a":', '[1,2', ']}'], {}, { ok: true, json: { a: [1, 2] } }],
    ['a top-level array', [' [1,2]'], {}, { ok: true, json: [1, 2] }],
    ['a byte-order mark', ['\uFEFF{"a":1}'], {}, { ok: true, json: { a: 1 } }],
    ['gzip', [gzipSync('{"z":true}')], { contentEncoding: 'gzip' }, { ok: true, json: { z: true } }],
    ['brotli', [brotliCompressSync('{"b":2}')], { contentEncoding: 'br' }, { ok: true, json: { b: 2 } }],
    [
      'the OIP binary extension',
      ['{"inputs":[]}', Buffer.from([0, 1, 2, 255])],
      { jsonLength: 13 },
      { ok: true, json: { inputs: [] } },
    ],
    ['nothing', [], {}, { ok: false, reason: 'no_body' }],
    ['only whitespace', ['  \n'], {}, { ok: false, reason: 'no_body' }],
    ['CSV', ['a,b\n1,2\n'], {}, { ok: false, reason: 'not_json' }],
    ['binary', [Buffer.from([0x89, 0x50, 0x4e, 0x47])], {}, { ok: false, reason: 'not_json' }],
    ['broken JSON', ['{"a":'], {}, { ok: false, reason: 'invalid_json' }],
    ['over the limit', [big], {}, { ok: false, reason: 'too_large' }],
    [
      'over the limit once decompressed',
      [gzipSync(big)],
      { contentEncoding: 'gzip' },
      { ok: false, reason: 'too_large' },
    ],
    ['an unknown encoding', ['{"a":1}'], { contentEncoding: 'zstd' }, { ok: false, reason: 'encoded_body' }],
    ['gzip that is not', ['{"a":1}'], { contentEncoding: 'gzip' }, { ok: false, reason: 'encoded_body' }],
  ])('%s', (_name, chunks, framing, expected) => {
    expect(readJsonBody(body(chunks), framing, 1024)).toEqual(expected);
  });

  it('lets go of what it held once over the limit, and keeps counting', () => {
    const b = body(['{"a":', 'x'.repeat(2000), '}'], 1024);
    expect(b.overflowed).toBe(true);
    expect(b.size).toBe(2006);
    expect(b.bytes().length).toBe(0);
  });
});

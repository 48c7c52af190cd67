/**
 * The payloads of bench/sidecar-open-loop.ts: a small OIP request (1 × 20 numbers), the capture
 * benchmark's payload (bench/sidecar-payload.ts), an image tensor (256 × 256 × 3 numbers, 0.7 MB)
 * and a single row of 50 named features.
 */
import { OIP_REQUEST, WIDE_PATH } from './sidecar-payload.js';

export interface Payload {
  name: string;
  path: string;
  body: Buffer;
  /** Offered rate of the fixed-rate phase (the image is sent less often: 1 MB each). */
  rate: number;
}

/** The bench model answers this path with a fixed small classification (bench/sidecar-servers.ts). */
export const IMAGE_PATH = '/v2/models/image/infer';

const small = JSON.stringify({
  inputs: [
    {
      name: 'features',
      shape: [1, 20],
      datatype: 'FP32',
      data: Array.from({ length: 20 }, (_, i) => Math.round(Math.sin(i) * 1000) / 100),
    },
  ],
});

const pixels = Array.from({ length: 256 * 256 * 3 }, (_, i) => (i * 7919) % 256);
const image = JSON.stringify({
  inputs: [{ name: 'image', shape: [1, 256, 256, 3], datatype: 'UINT8', data: pixels }],
});

const row = JSON.stringify({
  inputs: Array.from({ length: 50 }, (_, f) => ({
    name: `x${f}`,
    shape: [1],
    datatype: 'FP32',
    data: [Math.round(((f * 37) % 100) * 10) / 100],
  })),
});

export function payloads(rate: number, imageRate: number): Payload[] {
  return [
    { name: 'small 1×20', path: '/v2/models/example/infer', body: Buffer.from(small), rate },
    { name: 'capture bench', path: WIDE_PATH, body: Buffer.from(OIP_REQUEST), rate },
    { name: 'image 256×256×3', path: IMAGE_PATH, body: Buffer.from(image), rate: imageRate },
    { name: 'row of 50', path: '/v2/models/example/infer', body: Buffer.from(row), rate },
  ];
}

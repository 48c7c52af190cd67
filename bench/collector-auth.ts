/**
 * Cost of token checking on ingest: the same OTLP/JSON requests (128 spans each, keep-alive) to two
 * collectors in this process, one requiring a token (the sidecar's, among 20 entries) and one open
 * (loopback, no tokens), alternating rounds so machine noise hits both alike. Prints spans/s of each
 * and the difference, then the check alone (hash + constant-time comparisons) in µs per request.
 *
 *   node --import tsx bench/collector-auth.ts [--rounds 10] [--requests 200]
 */
import { performance } from 'node:perf_hooks';
import { Agent, fetch } from 'undici';
import { TokenSet } from '../collector/auth/token-set.js';
import { parseTokenList } from '../collector/auth/token-list.js';
import { tokenHashText } from '../collector/auth/token-hash.js';
import { readCollectorConfig } from '../collector/config.js';
import { startCollector } from '../collector/main.js';
import { numberArg } from './collector-spans.js';

const rounds = numberArg('rounds', 10);
const requests = numberArg('requests', 200);
const SPANS = 128;
const TOKEN = 'itk_bench-token-0123456789abcdefghijklmnopqrstuv';
const lines = [
  `sidecar ingest ${tokenHashText(TOKEN)}`,
  ...Array.from({ length: 19 }, (_, i) => `other-${i} read ${tokenHashText(`other-${i}`)}`),
].join('\n');

function body(n: number): string {
  const now = BigInt(Date.now()) * 1_000_000n;
  const spans = Array.from({ length: SPANS }, (_, i) => ({
    traceId: (n * SPANS + i + 1).toString(16).padStart(32, '0'),
    spanId: (i + 1).toString(16).padStart(16, '0'),
    name: 'POST /v2/models/iris/infer',
    kind: 2,
    startTimeUnixNano: String(now),
    endTimeUnixNano: String(now + 1_000_000n),
    attributes: [
      { key: 'ml.model.name', value: { stringValue: 'iris' } },
      { key: 'ml.input.petal_length', value: { doubleValue: 4.5 } },
    ],
  }));
  return JSON.stringify({
    resourceSpans: [
      { resource: { attributes: [{ key: 'service.name', value: { stringValue: 'bench' } }] }, scopeSpans: [{ spans }] },
    ],
  });
}

const quiet = { 'log-level': 'silent', port: '0', db: ':memory:', retention: '0' };
const gated = await startCollector(readCollectorConfig(quiet, { INFERTRACE_TOKENS: lines }));
const open = await startCollector(readCollectorConfig(quiet, {}));
const dispatcher = new Agent({ connections: 4 });
const bodies = Array.from({ length: 50 }, (_, i) => body(i));

async function send(url: string, headers: Record<string, string>): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < requests; i += 4) {
    await Promise.all(
      [0, 1, 2, 3].map(async (k) => {
        const res = await fetch(`${url}/v1/traces`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: bodies[(i + k) % bodies.length],
          dispatcher,
        });
        if (res.status !== 200) throw new Error(`ingest answered ${res.status}`);
        await res.arrayBuffer();
      }),
    );
  }
  return performance.now() - t0;
}

let msGated = 0;
let msOpen = 0;
await send(gated.url, { authorization: `Bearer ${TOKEN}` }); // warm-up
await send(open.url, {});
for (let r = 0; r < rounds; r++) {
  if (r % 2 === 0) {
    msGated += await send(gated.url, { authorization: `Bearer ${TOKEN}` });
    msOpen += await send(open.url, {});
  } else {
    msOpen += await send(open.url, {});
    msGated += await send(gated.url, { authorization: `Bearer ${TOKEN}` });
  }
}
const spans = rounds * requests * SPANS;
const rateOpen = spans / (msOpen / 1000);
const rateGated = spans / (msGated / 1000);
console.log(`ingest without tokens (baseline): ${Math.round(rateOpen).toLocaleString()} spans/s`);
console.log(
  `ingest with a token checked:      ${Math.round(rateGated).toLocaleString()} spans/s (${((1 - rateGated / rateOpen) * 100).toFixed(2)} % slower; noise of this machine included)`,
);

const set = new TokenSet(parseTokenList(lines, 'bench').entries);
const n = 200_000;
const t0 = performance.now();
for (let i = 0; i < n; i++) if (set.find(TOKEN) === undefined) throw new Error('not found');
const usCheck = ((performance.now() - t0) * 1000) / n;
const usRequest = (msOpen * 1000) / (rounds * requests);
console.log(
  `the check alone: ${usCheck.toFixed(2)} µs per request (20 entries), against ${usRequest.toFixed(0)} µs of wall time per ingest request: ${((usCheck / usRequest) * 100).toFixed(3)} %`,
);

await dispatcher.close();
await gated.close();
await open.close();

import type { ErasureCounts } from './erase-subject.js';
import type { DestinationReceipt } from './erasure-receipt.js';
import type { EraseMode } from './span-erasure.js';

/**
 * The erasure webhook (--erasure-webhook): after every erasure, one POST of JSON telling downstream
 * systems (a warehouse, a feature store, whoever runs the Jaeger the collector forwards to) to
 * erase the same person: the request id, the mode, the subject's pseudonyms (never a raw id), the
 * traces changed, the counts and the forwarding destinations. One attempt, 5 s; the outcome goes
 * in the receipt, and the message of a failure keeps only the status or the error's class.
 */
export interface ErasureNotice {
  event: 'subject.erased';
  requestId: string;
  mode: EraseMode;
  finishedAt: string;
  pseudonyms: readonly string[];
  traceIds: readonly string[];
  counts: ErasureCounts;
  destinations: DestinationReceipt[];
}

export async function sendErasureNotice(url: string, notice: ErasureNotice): Promise<string> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(notice),
      signal: AbortSignal.timeout(5000),
    });
    await res.arrayBuffer();
    return res.ok ? `delivered (${res.status})` : `failed (${res.status})`;
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    return `failed (${e.name === 'TimeoutError' ? 'timeout' : (e.cause?.code ?? e.name)})`;
  }
}

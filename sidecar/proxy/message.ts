import type { IncomingMessage } from 'node:http';
import type { RawHeaders } from './hop-by-hop.js';

/** Small facts about an HTTP message that the proxy needs. Pure. */

/** Whether the request carries a body (a length other than 0, or chunked framing). */
export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** Raw headers as the lower-cased record observers receive (repeated names become arrays). */
export function headerRecord(raw: RawHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const k = String(raw[i]).toLowerCase();
    const v = String(raw[i + 1]);
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/** An absolute-form request target (`GET http://host/path`) as origin-form. */
/** The request target in origin form, split into its path and query (without the `?`). */
export function requestTarget(rawUrl: string): { url: string; path: string; query: string } {
  const url = rawUrl.startsWith('/') ? rawUrl : originForm(rawUrl);
  const q = url.indexOf('?');
  return q === -1 ? { url, path: url, query: '' } : { url, path: url.slice(0, q), query: url.slice(q + 1) };
}

function originForm(target: string): string {
  try {
    const u = new URL(target);
    return `${u.pathname}${u.search}`;
  } catch {
    return `/${target}`;
  }
}

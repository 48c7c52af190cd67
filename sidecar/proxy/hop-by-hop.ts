/**
 * Header filtering for a reverse proxy (RFC 9110 §7.6.1): hop-by-hop headers belong to one
 * connection and are never forwarded. Pure functions over raw `[name, value, name, value, …]`
 * lists, so names keep their case and repeated headers (Set-Cookie) their order.
 */

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

export type RawHeaders = ReadonlyArray<string | Buffer>;

function text(v: string | Buffer): string {
  // latin1 keeps every byte of a header value as one character, so values pass through unchanged.
  return typeof v === 'string' ? v : v.toString('latin1');
}

/** Names listed in any Connection header (they are hop-by-hop for this message). */
function connectionListed(raw: RawHeaders): Set<string> {
  const listed = new Set<string>();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (text(raw[i] as string | Buffer).toLowerCase() !== 'connection') continue;
    for (const token of text(raw[i + 1] as string | Buffer).split(',')) {
      const name = token.trim().toLowerCase();
      if (name) listed.add(name);
    }
  }
  return listed;
}

function isHopByHop(lowerName: string, listed: ReadonlySet<string>): boolean {
  return HOP_BY_HOP.has(lowerName) || lowerName.startsWith('proxy-') || listed.has(lowerName);
}

/**
 * Copies the end-to-end headers, leaving out hop-by-hop ones and any name `drop` claims (headers
 * the proxy rewrites itself). Returns a flat raw list.
 */
export function endToEndHeaders(raw: RawHeaders, drop: (lowerName: string) => boolean = () => false): string[] {
  const listed = connectionListed(raw);
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = text(raw[i] as string | Buffer);
    const lower = name.toLowerCase();
    if (isHopByHop(lower, listed) || drop(lower)) continue;
    out.push(name, text(raw[i + 1] as string | Buffer));
  }
  return out;
}

/** All values of one header in a raw list (case-insensitive name). */
export function rawValues(raw: RawHeaders, lowerName: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (text(raw[i] as string | Buffer).toLowerCase() === lowerName) out.push(text(raw[i + 1] as string | Buffer));
  }
  return out;
}

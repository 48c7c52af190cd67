import { ALL_DETECTORS, maskPii } from './pii/scan.js';
import { defaultIdentifierTest } from './identifiers.js';

/**
 * The HTTP metadata the sidecar records on its spans, made safe by default: query values (and the
 * query of url.full) and the user agent go through the PII scan, a query parameter whose name says
 * it identifies a person loses its value, and client.address keeps only its network (/24 or /48).
 */
const REDACTED = '[redacted]';

/** `a=1&email=x@y.io&q=call+me+at+555-123-4567` → `a=1&email=[redacted]&q=call+me+at+[phone]`. */
export function protectQuery(query: string): string {
  if (query === '') return query;
  return query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return scanText(pair);
      const name = pair.slice(0, eq);
      let decodedName: string;
      try {
        decodedName = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        decodedName = name;
      }
      if (defaultIdentifierTest(decodedName)) return `${name}=${REDACTED}`;
      return `${name}=${scanText(pair.slice(eq + 1))}`;
    })
    .join('&');
}

/** url.full with its query protected (origin and path as url.path records them). */
export function protectUrl(full: string): string {
  const q = full.indexOf('?');
  return q < 0 ? full : `${full.slice(0, q)}?${protectQuery(full.slice(q + 1))}`;
}

// User agents repeat: remember each one's scanned form (bounded).
const agents = new Map<string, string>();

export function protectUserAgent(ua: string): string {
  let safe = agents.get(ua);
  if (safe === undefined) {
    safe = maskPii(ua, ALL_DETECTORS).text;
    if (agents.size >= 1000) agents.clear();
    agents.set(ua, safe);
  }
  return safe;
}

/** 203.0.113.42 → 203.0.113.0/24; 2001:db8:1:2::5 → 2001:db8:1::/48; ::ffff:203.0.113.42 as IPv4. */
export function generaliseAddress(address: string): string {
  const v4 = /^(?:::ffff:)?(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/i.exec(address);
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}.0/24`;
  if (!address.includes(':')) return REDACTED;
  const [head = ''] = address.split('::');
  const groups = head.split(':').filter((g) => g !== '');
  const full = address.includes('::') ? [...groups, '0', '0', '0'].slice(0, 3) : address.split(':').slice(0, 3);
  return `${full.map((g) => g.toLowerCase().replace(/^0+(?=.)/, '')).join(':')}::/48`;
}

function scanText(text: string): string {
  // Decode first so an e-mail written as a%40b.io is seen; encode the result again.
  let decoded: string;
  try {
    decoded = decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return maskPii(text, ALL_DETECTORS).text;
  }
  const scanned = maskPii(decoded, ALL_DETECTORS);
  return scanned.found.length === 0 ? text : encodeURIComponent(scanned.text).replace(/%5B/g, '[').replace(/%5D/g, ']');
}

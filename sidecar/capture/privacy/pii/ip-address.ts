import { isIPv6 } from 'node:net';
import { findAll, mergeOverlaps, type PiiDetector, type PiiMatch } from './detector.js';

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
// Four octets, not part of a longer dotted number such as a version string.
const IPV4 = new RegExp(`(?<![\\d.])${OCTET}(?:\\.${OCTET}){3}(?![\\d]|\\.\\d)`, 'g');
// A run of hex digits, colons and dots that does not start inside a word; node:net validates it.
const IPV6_CANDIDATE = /(?<![0-9A-Za-z:.])[0-9A-Fa-f:][0-9A-Fa-f:.]{1,44}(?:%[0-9A-Za-z]+)?(?![0-9A-Za-z:])/g;

function ipv6(m: RegExpExecArray): PiiMatch | undefined {
  const text = m[0].replace(/\.+$/, '');
  const colons = text.split(':').length - 1;
  if (colons < 2 || !/[0-9A-Fa-f]/.test(text) || !isIPv6(text)) return undefined;
  return { start: m.index, end: m.index + text.length };
}

export const ipAddressDetector: PiiDetector = {
  kind: 'ip_address',
  mayContain: (_text, stats) => (stats.dot && stats.digits >= 4) || stats.colon,
  find: (text) =>
    mergeOverlaps([
      ...findAll(IPV4, text, (m) => ({ start: m.index, end: m.index + m[0].length })),
      ...(text.includes(':') ? findAll(IPV6_CANDIDATE, text, ipv6) : []),
    ]),
};

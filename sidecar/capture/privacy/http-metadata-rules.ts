import { HTTP } from '../../../shared/attribute-keys.js';
import type { Pseudonymiser } from '../../../shared/pseudonyms/hmac.js';
import { generaliseAddress, protectQuery, protectUrl, protectUserAgent } from './http-metadata.js';
import { isRecord, type SectionReader } from './rules-file.js';

/**
 * `http_metadata:` of the rules file: what becomes of each piece of HTTP metadata the sidecar
 * records on its spans. Absent, the defaults of http-metadata.ts (`protect`): query values, the
 * query of url.full and the user agent go through the PII scan; client.address keeps its /24 or /48.
 *
 *   http_metadata:
 *     client.address: keep          # protect (generalise) | keep | drop | pseudonymise
 *     url.query: drop               # protect (scan) | keep | drop | pseudonymise (each value)
 *     url.full: protect
 *     user_agent.original: pseudonymise
 *
 * `drop` leaves the attribute out; `pseudonymise` (needs the HMAC key) replaces the address or user
 * agent, or each query value, with its keyed pseudonym — one purpose per attribute, so pseudonyms
 * do not link across attributes.
 */
export const METADATA_FIELDS = [HTTP.urlQuery, HTTP.urlFull, HTTP.userAgent, HTTP.clientAddress] as const;
type MetadataField = (typeof METADATA_FIELDS)[number];
const ACTIONS = ['protect', 'keep', 'drop', 'pseudonymise'] as const;
type MetadataAction = (typeof ACTIONS)[number];
/** Other names people write for the default and for pseudonymise. */
const SPELLINGS: Readonly<Record<string, MetadataAction>> = {
  scan: 'protect',
  generalise: 'protect',
  generalize: 'protect',
  pseudonymize: 'pseudonymise',
};

export type MetadataActions = Readonly<Record<MetadataField, MetadataAction>>;

export const DEFAULT_METADATA_ACTIONS: MetadataActions = Object.freeze({
  [HTTP.urlQuery]: 'protect',
  [HTTP.urlFull]: 'protect',
  [HTTP.userAgent]: 'protect',
  [HTTP.clientAddress]: 'protect',
} as Record<MetadataField, MetadataAction>);

/** Each piece of metadata as it is recorded; undefined: left out. */
export interface HttpMetadataProtection {
  query(query: string): string | undefined;
  url(full: string): string | undefined;
  userAgent(ua: string): string | undefined;
  clientAddress(address: string): string | undefined;
}

/** Reads the section; problems name the line. */
export function parseHttpMetadataSection(r: SectionReader, raw: unknown): MetadataActions {
  if (raw === undefined) return DEFAULT_METADATA_ACTIONS;
  if (!isRecord(raw)) {
    r.problem(['http_metadata'], `http_metadata must be a mapping of ${METADATA_FIELDS.join(', ')} to an action`);
    return DEFAULT_METADATA_ACTIONS;
  }
  r.onlyKeys(raw, ['http_metadata'], METADATA_FIELDS, 'http_metadata');
  const actions: Record<string, MetadataAction> = { ...DEFAULT_METADATA_ACTIONS };
  for (const field of METADATA_FIELDS) {
    const text = raw[field];
    if (text === undefined) continue;
    const t = typeof text === 'string' ? text.toLowerCase() : '';
    const action = (ACTIONS as readonly string[]).includes(t) ? (t as MetadataAction) : SPELLINGS[t];
    if (action === undefined)
      r.problem(
        ['http_metadata', field],
        `http_metadata.${field} must be one of ${ACTIONS.join(', ')}, got ${JSON.stringify(text)}`,
      );
    else actions[field] = action;
  }
  return Object.freeze(actions) as MetadataActions;
}

/** Fields whose action is pseudonymise (they need the key). */
export function pseudonymisedFields(actions: MetadataActions): MetadataField[] {
  return METADATA_FIELDS.filter((f) => actions[f] === 'pseudonymise');
}

/** The protections the actions describe; `pseudonymiser` is required when an action is pseudonymise. */
export function metadataProtection(actions: MetadataActions, pseudonymiser?: Pseudonymiser): HttpMetadataProtection {
  const pseudo = (purpose: string) => (value: string) => pseudonymiser?.pseudonymise(value, purpose);
  const pick = (
    field: MetadataField,
    protect: (v: string) => string,
    pseudonymise: (v: string) => string | undefined,
  ): ((v: string) => string | undefined) => {
    const action = actions[field];
    if (action === 'keep') return (v) => v;
    if (action === 'drop') return () => undefined;
    if (action === 'pseudonymise') return pseudonymise;
    return protect;
  };
  const queryValues = (query: string): string => pseudonymiseQuery(query, pseudo(HTTP.urlQuery));
  return {
    query: pick(HTTP.urlQuery, protectQuery, queryValues),
    url: pick(HTTP.urlFull, protectUrl, (full) => {
      const q = full.indexOf('?');
      return q < 0 ? full : `${full.slice(0, q)}?${pseudonymiseQuery(full.slice(q + 1), pseudo(HTTP.urlFull))}`;
    }),
    userAgent: pick(HTTP.userAgent, protectUserAgent, pseudo(HTTP.userAgent)),
    clientAddress: pick(HTTP.clientAddress, generaliseAddress, pseudo(HTTP.clientAddress)),
  };
}

/** The protections of a sidecar without a rules file (or with no http_metadata section). */
export const DEFAULT_METADATA_PROTECTION: HttpMetadataProtection = metadataProtection(DEFAULT_METADATA_ACTIONS);

/** `a=1&b=x` → `a=hmac:…&b=hmac:…`: names kept, every value (decoded first) replaced by its pseudonym. */
function pseudonymiseQuery(query: string, pseudonymise: (v: string) => string | undefined): string {
  if (query === '') return query;
  return query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair === '' ? pair : (pseudonymise(decoded(pair)) ?? '');
      return `${pair.slice(0, eq)}=${pseudonymise(decoded(pair.slice(eq + 1))) ?? ''}`;
    })
    .join('&');
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/**
 * What a token may do. Each collector route needs exactly one scope (route-scopes.ts); a token
 * carries one or more. `privacy` is reserved for the subject-rights API.
 */
export const SCOPES = ['ingest', 'read', 'feedback', 'admin', 'privacy'] as const;
export type Scope = (typeof SCOPES)[number];

export function isScope(text: string): text is Scope {
  return (SCOPES as readonly string[]).includes(text);
}

import { SCOPES, type Scope } from '../../../collector/auth/scopes.js';
import { tokenHashText } from '../../../collector/auth/token-hash.js';

/** A token per scope, one without each scope, and their tokens-file lines, for the auth tests. */
export const ONLY: Record<Scope, string> = Object.fromEntries(
  SCOPES.map((s) => [s, `only-${s}-token-0123456789abcdef`]),
) as Record<Scope, string>;
export const ALL_BUT: Record<Scope, string> = Object.fromEntries(
  SCOPES.map((s) => [s, `all-but-${s}-token-0123456789abcdef`]),
) as Record<Scope, string>;

export function tokenLines(): string {
  return SCOPES.flatMap((s) => [
    `only-${s} ${s} ${tokenHashText(ONLY[s])}`,
    `all-but-${s} ${SCOPES.filter((o) => o !== s).join(',')} ${tokenHashText(ALL_BUT[s])}`,
  ]).join('\n');
}

export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

import { hashToken, sameHash } from './token-hash.js';
import type { TokenEntry } from './token-list.js';

/**
 * The tokens the collector accepts right now. A presented token is hashed once and compared with
 * every entry's hash in constant time, all of them each time, so the time taken tells nothing
 * about which entry (or how much of one) matched.
 */
export class TokenSet {
  constructor(readonly entries: readonly TokenEntry[]) {}

  find(token: string): TokenEntry | undefined {
    const presented = hashToken(token);
    let found: TokenEntry | undefined;
    for (const entry of this.entries) {
      if (sameHash(presented, entry.hash) && found === undefined) found = entry;
    }
    return found;
  }
}

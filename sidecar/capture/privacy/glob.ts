/**
 * Feature-name patterns of the rules file: `*` matches any run of characters (dots included, so
 * `image.*` covers every column of a tensor), `?` one character. Matching ignores case, because a
 * rule written for `email` must not miss a payload that says `Email`.
 */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (const ch of glob) {
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else source += ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'i');
}

/** One expression matching any of the patterns. */
export function globsToRegExp(globs: readonly string[]): RegExp {
  return new RegExp(globs.map((g) => globToRegExp(g).source).join('|'), 'i');
}

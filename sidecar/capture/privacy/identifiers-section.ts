import { globsToRegExp } from './glob.js';
import { defaultIdentifierTest, remembered, type IdentifierTest } from './identifiers.js';
import type { SectionReader } from './rules-file.js';

/**
 * `identifiers:` of the rules file: absent, the documented default list; a list of feature-name
 * patterns, those instead; an empty list, none (every feature then follows the rules and default_action).
 */
export function parseIdentifiersSection(r: SectionReader | undefined, raw: unknown): IdentifierTest | undefined {
  if (raw === undefined) return remembered(defaultIdentifierTest);
  if (!Array.isArray(raw) || !raw.every((g): g is string => typeof g === 'string' && g !== '')) {
    r?.problem(
      ['identifiers'],
      'identifiers must be a list of feature-name patterns (an empty list turns the default list off)',
    );
    return remembered(defaultIdentifierTest);
  }
  if (raw.length === 0) return undefined;
  const re = globsToRegExp(raw);
  return remembered((name) => re.test(name));
}

import type Database from 'better-sqlite3';
import { ENDUSER, ML } from '../../../shared/attribute-keys.js';
import { isValidTraceId } from '../../../shared/ids.js';
import { attributeText, subjectIdsOf } from '../span-match.js';
import type { KeyIndex } from './key-index/key-index.js';
import { KEY_KIND, textKey, traceKey } from './key-index/keys.js';
import type { KeyKind } from './key-index/keys.js';
import { blobToHex, decodeBody } from './row-codec.js';
import type { Statements } from './statements.js';

/**
 * Erases whole traces — every span, and every key-index entry pointing at them — in one
 * transaction. With `secure_delete` on, the deleted content is overwritten, not left in free pages.
 * The primitive the data subject's right to erasure builds on (find the subject's traces with
 * findTraceIdsBySubject, then erase them).
 */
export function createEraser(
  db: Database.Database,
  st: Statements,
  keys: KeyIndex,
): (traceIds: readonly string[]) => number {
  return db.transaction((traceIds: readonly string[]) => {
    let deleted = 0;
    for (const traceId of new Set(traceIds)) {
      if (!isValidTraceId(traceId)) continue;
      const tkey = traceKey(traceId);
      for (const row of keys.rows(KEY_KIND.trace, tkey)) {
        const found = st.keyRowById.get(row) as { trace_id: Uint8Array; start_ns: bigint; body: string } | undefined;
        if (found === undefined || blobToHex(found.trace_id) !== traceId) continue;
        const attributes = decodeBody(found.body, found.start_ns).attributes;
        const entries: { kind: KeyKind; key: number }[] = [{ kind: KEY_KIND.trace, key: tkey }];
        const requestId = attributeText(attributes[ML.requestId]);
        if (requestId !== undefined) entries.push({ kind: KEY_KIND.request, key: textKey(requestId) });
        for (const subject of subjectIdsOf(attributes[ENDUSER.pseudoId]))
          entries.push({ kind: KEY_KIND.subject, key: textKey(subject) });
        deleted += st.deleteSpan.run(row).changes;
        keys.forget(row, entries);
      }
    }
    return deleted;
  });
}

import type Database from 'better-sqlite3';

/**
 * Size retention gives freed pages back to the file system only in a file with
 * auto_vacuum=INCREMENTAL, which SQLite sets only while a file is empty: the collector sets it on
 * the files it creates. A file made by an older build has none and keeps its largest size; one
 * VACUUM switches it. At open that is done here for files up to `maxBytes` (VACUUM rewrites the
 * whole file: about a second for 64 MiB on a busy machine, and as much free disk again); a larger
 * one is left as it is, to be switched by hand with the collector stopped (docs/collector-and-storage.md).
 */
const AUTO_VACUUM_INCREMENTAL = 2;
const VACUUM_AT_OPEN_MAX_BYTES = 64 * 1024 * 1024;

type AutoVacuumAtOpen = 'already on' | 'switched on' | 'left off: too large' | 'left off: VACUUM failed';

export function switchOnAutoVacuum(db: Database.Database, maxBytes = VACUUM_AT_OPEN_MAX_BYTES): AutoVacuumAtOpen {
  if ((db.pragma('auto_vacuum', { simple: true }) as number) === AUTO_VACUUM_INCREMENTAL) return 'already on';
  const bytes =
    (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);
  if (bytes > maxBytes) return 'left off: too large';
  try {
    db.pragma('auto_vacuum = INCREMENTAL');
    db.exec('VACUUM');
  } catch {
    // Out of disk, or locked by another connection: the file works as before, it just does not shrink.
    return 'left off: VACUUM failed';
  }
  return (db.pragma('auto_vacuum', { simple: true }) as number) === AUTO_VACUUM_INCREMENTAL
    ? 'switched on'
    : 'left off: VACUUM failed';
}

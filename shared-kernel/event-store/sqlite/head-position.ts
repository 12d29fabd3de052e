import path from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from '../../errors';
import type { Position } from '../../events/envelope';
import { encodePosition } from './positions';

export interface HeadPositionReader {
  /** Position of the newest event in the file, or null while it is empty. */
  read(): Position | null;
  close(): void;
}

/**
 * The head of `$all` for code that does not own the event store (another process: the query
 * API, the CLI, a health check). A read-only connection and one prepared `max(position)` (a
 * walk down the rowid B-tree): cheap enough to call on every request, and it never takes the
 * write lock, so it cannot slow the writers down.
 */
export function openHeadPositionReader(options: {
  dataDir: string;
  fileName?: string;
}): HeadPositionReader {
  const file = path.resolve(options.dataDir, options.fileName ?? 'events.db');
  let db: Database.Database;
  let head: Database.Statement<[], number | null>;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    head = db.prepare<[], number | null>('SELECT max(position) FROM events').pluck();
  } catch (cause) {
    throw new StoreError(
      `event store: cannot read the head of ${file} (${(cause as Error).message})`,
      { cause },
    );
  }
  return {
    read() {
      const sequence = head.get() as number | null;
      return sequence === null ? null : encodePosition(sequence);
    },
    close() {
      db.close();
    },
  };
}

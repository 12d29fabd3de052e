import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from './errors';

export interface DurableSqliteOptions {
  /** How long a statement waits for another process's write lock before giving up. */
  busyTimeoutMs: number;
  /** Idempotent DDL (`IF NOT EXISTS`), run on every open. */
  schema: string;
  /** What the file is, for the error (`outbox`, `idempotency store`). */
  owner: string;
}

/**
 * Opens (creating it and its directory if needed) a SQLite file shared by several processes
 * whose commits must survive a crash: WAL, and `synchronous = FULL`, so a commit that returned
 * is on disk (an answer sent, a publish acknowledged). A failure names the owner and the file.
 */
export function openDurableSqlite(file: string, options: DurableSqliteOptions): Database.Database {
  let db: Database.Database | undefined;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    db = new Database(file, { timeout: options.busyTimeoutMs });
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(options.schema);
    return db;
  } catch (cause) {
    db?.close();
    throw new StoreError(`${options.owner}: cannot open ${file} (${describeSqliteError(cause)})`, {
      cause,
    });
  }
}

/** An SQLite failure as one line: its code (`SQLITE_BUSY`, ...) when it has one, and message. */
export function describeSqliteError(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const code = (cause as { code?: unknown }).code;
  return typeof code === 'string' ? `${code}: ${cause.message}` : cause.message;
}

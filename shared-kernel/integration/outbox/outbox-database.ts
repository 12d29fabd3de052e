import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describeSqliteError, openDurableSqlite } from '../../durable-sqlite';
import { NotFoundError, StoreError, UnavailableError } from '../../errors';

export interface OutboxLocation {
  dataDir: string;
  /** Default `outbox.db`: its own file, so the outbox never contends with the event store. */
  fileName?: string;
}

/*
 * AUTOINCREMENT so a seq is never handed out twice even if old rows are pruned: a tailing
 * reader remembers the last seq it saw and must never skip a reused one. Seqs increase in
 * commit order (one writer at a time) but may have gaps (an ignored insert can use one up).
 * ce_id UNIQUE: a republished source event (at-least-once upstream) is stored once.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS outbox (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  topic      TEXT NOT NULL,
  key        TEXT NOT NULL,
  ce_id      TEXT NOT NULL UNIQUE,
  type       TEXT NOT NULL,
  headers    TEXT NOT NULL,
  value      TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS outbox_topic_seq ON outbox (topic, seq);
`;

export function outboxFile(location: OutboxLocation): string {
  return path.join(path.resolve(location.dataDir), location.fileName ?? 'outbox.db');
}

/** Opens (creating if needed) the outbox for writing; failures name the file. */
export function openOutboxForWriting(file: string, busyTimeoutMs: number): Database.Database {
  // Durable: a publish that resolved is on disk, which is what "durably accepted" promises.
  return openDurableSqlite(file, { busyTimeoutMs, schema: SCHEMA, owner: 'outbox' });
}

/** Opens an existing outbox read-only (the CLI, possibly while a worker writes to it). */
export function openOutboxForReading(file: string): Database.Database {
  if (!fs.existsSync(file)) {
    throw new NotFoundError(
      `outbox: ${file} does not exist (nothing published yet, or STRATA_DATA_DIR points elsewhere)`,
    );
  }
  try {
    return new Database(file, { readonly: true, fileMustExist: true });
  } catch (cause) {
    throw new StoreError(`outbox: cannot open ${file} (${describeSqliteError(cause)})`, { cause });
  }
}

/** A locked, full or failing disk may recover (retry); anything else will not. */
export function toOutboxError(cause: unknown, file: string): Error {
  const code = (cause as { code?: unknown } | null)?.code;
  const message = `outbox ${file}: ${describeSqliteError(cause)}`;
  if (typeof code === 'string' && /^SQLITE_(BUSY|LOCKED|FULL|IOERR)/.test(code)) {
    return new UnavailableError(message, 1, { cause });
  }
  return new StoreError(message, { cause });
}

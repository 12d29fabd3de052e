import path from 'node:path';
import { assertTtl } from '../cache/port';
import { openDurableSqlite } from '../durable-sqlite';
import { UnavailableError } from '../errors';
import type { IdempotencyStore } from './port';

export interface SqliteIdempotencyOptions {
  dataDir: string;
  /** Default `idempotency.db`, beside the event store and the outbox. */
  fileName?: string;
  /** How long a write waits for another process's lock before the request gets a 503. */
  busyTimeoutMs?: number;
  /** How often expired records are deleted. */
  sweepEveryMs?: number;
  /** Milliseconds since the epoch; tests move it. */
  now?: () => number;
}

/*
 * Records expire by time only: `expires_at` (epoch ms) is checked on every read, and a sweep
 * deletes expired rows in bounded batches, so the file holds one day of keys however many
 * there are, and no key is ever evicted early to make room.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS idempotency (
  key        TEXT    PRIMARY KEY,
  record     TEXT    NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS idempotency_expiry ON idempotency (expires_at);
`;
const SWEEP_BATCH = 1000;

export function idempotencyFile(options: Pick<SqliteIdempotencyOptions, 'dataDir' | 'fileName'>) {
  return path.join(path.resolve(options.dataDir), options.fileName ?? 'idempotency.db');
}

/**
 * The embedded idempotency store: one SQLite file under STRATA_DATA_DIR, so keys survive a
 * restart (SIGKILL included: an answer is on disk before it is sent) and every process on the
 * machine that opens the same directory shares them, serialised by SQLite's own locking.
 */
export function openSqliteIdempotencyStore(options: SqliteIdempotencyOptions): IdempotencyStore {
  const file = idempotencyFile(options);
  const now = options.now ?? Date.now;
  // Durable: an answer the client was sent is on disk, so a replay after a crash finds it.
  const db = openDurableSqlite(file, {
    busyTimeoutMs: options.busyTimeoutMs ?? 2000,
    schema: SCHEMA,
    owner: 'idempotency store',
  });
  const statements = {
    take: db.prepare(
      `INSERT INTO idempotency (key, record, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET record = excluded.record, expires_at = excluded.expires_at
       WHERE idempotency.expires_at <= ?`,
    ),
    held: db.prepare('SELECT record FROM idempotency WHERE key = ?').pluck(),
    put: db.prepare(
      `INSERT INTO idempotency (key, record, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET record = excluded.record, expires_at = excluded.expires_at`,
    ),
    drop: db.prepare('DELETE FROM idempotency WHERE key = ? AND record = ?'),
    sweep: db.prepare(
      `DELETE FROM idempotency WHERE key IN
       (SELECT key FROM idempotency WHERE expires_at <= ? LIMIT ${SWEEP_BATCH})`,
    ),
  };
  const claim = db.transaction((key: string, value: string, ttlMs: number): string | null => {
    const at = now();
    if (statements.take.run(key, value, at + ttlMs, at).changes === 1) return null;
    return statements.held.get(key) as string;
  });
  let closed = false;
  const run = <T>(what: string, work: () => T): T => {
    if (closed) throw new UnavailableError('idempotency store is closed');
    try {
      return work();
    } catch (cause) {
      throw new UnavailableError(`idempotency store ${file}: ${what} failed`, 1, { cause });
    }
  };
  const sweep = () => {
    try {
      while (statements.sweep.run(now()).changes === SWEEP_BATCH);
    } catch {
      // A busy or full disk: the next sweep tries again, and reads ignore expired rows anyway.
    }
  };
  sweep();
  const sweeper = setInterval(sweep, options.sweepEveryMs ?? 60_000);
  sweeper.unref();

  return {
    async claim(key, value, ttlMs) {
      assertTtl(ttlMs);
      return run('claim', () => claim.immediate(key, value, ttlMs));
    },
    async complete(key, record, ttlMs) {
      assertTtl(ttlMs);
      run('store', () => statements.put.run(key, record, now() + ttlMs));
    },
    async release(key, value) {
      run('release', () => statements.drop.run(key, value));
    },
    async ping() {
      run('ping', () => db.prepare('SELECT 1').get());
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(sweeper);
      db.close();
    },
  };
}

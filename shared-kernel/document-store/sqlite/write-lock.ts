import type Database from 'better-sqlite3';
import { setTimeout as sleep } from 'node:timers/promises';
import { StoreError } from '../../errors';

/**
 * How often a write waiting for another process's write lock tries again. Workers sharing the
 * file meet at the lock on a fraction of their commits, each a millisecond or so: waiting 5 ms
 * per meeting cost two workers on four partitions ~15% of their time; a failed attempt costs
 * microseconds.
 */
const RETRY_MS = 1;

/**
 * Runs `attempt` (an immediate transaction on `db`) with the connection's busy handler off, and
 * tries again every few milliseconds until `waitMs` have passed. SQLite's busy handler sleeps in
 * the calling thread: a write waiting there for another process's lock (one frozen inside its
 * transaction, say) would stop this process's event loop, and with it the heartbeat that renews
 * its leases, for as long as it waits.
 */
export async function waitingForWriteLock<T>(
  db: Database.Database,
  waitMs: number,
  attempt: () => T,
): Promise<T> {
  const deadline = performance.now() + waitMs;
  for (;;) {
    db.pragma('busy_timeout = 0');
    try {
      return attempt();
    } catch (error) {
      if (!isBusy(error) || performance.now() >= deadline) throw error;
    } finally {
      db.pragma(`busy_timeout = ${Math.trunc(waitMs)}`);
    }
    await sleep(RETRY_MS);
  }
}

function isBusy(error: unknown): boolean {
  const cause = error instanceof StoreError ? error.cause : error;
  const code = (cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

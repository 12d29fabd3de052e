import type Database from 'better-sqlite3';
import { StoreError, StrataError, UnavailableError } from '../../errors';
import type { AppendResult } from '../port';
import type { AppendRequest } from './append-request';
import type { Statements } from './statements';
import { writeAppend } from './write-append';

interface Pending {
  request: AppendRequest;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

export interface CommitCounters {
  /** Transactions committed (each one fsync of the WAL). */
  commits: number;
  /** Appends that went through a commit, successful or not. */
  appends: number;
  /** The most appends that shared one transaction. */
  largestGroup: number;
}

/** Bounds a transaction's size so one huge burst does not hold the write lock for long. */
const MAX_GROUP = 1024;

/**
 * Group commit: appends queued in the same tick share one `BEGIN IMMEDIATE` transaction and so
 * one fsync. Each runs its own expected-revision check against the state the earlier ones left,
 * and one failing does not fail the others. Results are only delivered after COMMIT, so nobody
 * is told "stored" before it is durable. better-sqlite3 commits synchronously, so "arriving while
 * a commit runs" means queued in the turn of the event loop before it: with N callers in flight
 * each commit carries up to N appends.
 */
export function createGroupCommitter(options: {
  db: Database.Database;
  statements: Statements;
  file: string;
  onCommitted(): void;
}) {
  const { statements, file } = options;
  const queue: Pending[] = [];
  const counters: CommitCounters = { commits: 0, appends: 0, largestGroup: 0 };
  let scheduled = false;

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    // setImmediate, not a microtask: lets every append issued in this tick join the group.
    setImmediate(flush);
  }

  function flush(): void {
    scheduled = false;
    const group = queue.splice(0, MAX_GROUP);
    if (queue.length > 0) schedule();
    if (group.length === 0) return;
    const outcomes = commitGroup(group);
    if (outcomes === null) return;
    counters.commits += 1;
    counters.appends += group.length;
    counters.largestGroup = Math.max(counters.largestGroup, group.length);
    options.onCommitted();
    group.forEach((pending, index) => {
      const outcome = outcomes[index]!;
      if (outcome.ok) pending.resolve(outcome.result);
      else pending.reject(outcome.error);
    });
  }

  type Outcome = { ok: true; result: AppendResult } | { ok: false; error: unknown };

  /** Returns each append's outcome, or null after rejecting the whole group (nothing stored). */
  function commitGroup(group: Pending[]): Outcome[] | null {
    try {
      statements.begin.run();
    } catch (error) {
      group.forEach((pending) => pending.reject(storeFailure('start a transaction', error)));
      return null;
    }
    const recordedAt = new Date().toISOString();
    const outcomes: Outcome[] = [];
    for (const pending of group) {
      try {
        outcomes.push({ ok: true, result: writeAppend(statements, pending.request, recordedAt) });
      } catch (error) {
        if (error instanceof StrataError) {
          outcomes.push({ ok: false, error });
          continue;
        }
        // An I/O or disk-full error: SQLite may have dropped the whole transaction, so nothing
        // of this group is trustworthy; fail all of it rather than report a partial success.
        rollbackQuietly();
        group.forEach((each) => each.reject(storeFailure('append', error)));
        return null;
      }
    }
    try {
      statements.commit.run();
      return outcomes;
    } catch (error) {
      rollbackQuietly();
      group.forEach((pending) => pending.reject(storeFailure('commit', error)));
      return null;
    }
  }

  function rollbackQuietly(): void {
    if (!options.db.inTransaction) return;
    try {
      statements.rollback.run();
    } catch {
      // SQLite may already have rolled back on its own (e.g. after an I/O error).
    }
  }

  function storeFailure(action: string, error: unknown): Error {
    const code = (error as { code?: unknown }).code;
    const message = `event store ${file}: could not ${action} (${String(code ?? '')} ${(error as Error).message})`;
    return code === 'SQLITE_BUSY'
      ? new UnavailableError(`${message}; another process holds the write lock`, 1, {
          cause: error,
        })
      : new StoreError(message, { cause: error });
  }

  return {
    counters,
    enqueue(request: AppendRequest): Promise<AppendResult> {
      return new Promise<AppendResult>((resolve, reject) => {
        queue.push({ request, resolve, reject });
        schedule();
      });
    },
    /** Commits whatever is queued now; used on close so no accepted append is dropped. */
    flushNow(): void {
      while (queue.length > 0) flush();
    },
  };
}

export type GroupCommitter = ReturnType<typeof createGroupCommitter>;

import type { Logger } from '../../logging/logger';
import { StoreError } from '../../errors';
import type { AllSubscription, EventStore } from '../port';
import { toAppendRequest } from './append-request';
import { createChangeFeed } from './change-feed';
import { createGroupCommitter, type CommitCounters } from './group-commit';
import { openDatabase } from './open-database';
import { decodePosition, encodePosition } from './positions';
import { readAllPages, readStreamPages } from './reads';
import { prepareStatements } from './statements';
import { subscribeToAll } from './subscription';
import { checkedSnapshot } from '../snapshot-checks';

export interface SqliteEventStoreOptions {
  /** Created if missing. */
  dataDir: string;
  fileName?: string;
  logger?: Logger;
  /** How long to wait for another process's write lock before failing (default 5 s). */
  busyTimeoutMs?: number;
  /** How often a live subscription looks for other processes' appends (default 15 ms). */
  pollIntervalMs?: number;
  /** Rows per read (default 1,000). */
  pageSize?: number;
}

export interface SqliteEventStore extends EventStore {
  /** The database file, for messages and for other processes opening the same log. */
  readonly file: string;
  /** Counters for diagnostics and tests: how many transactions the group commit used. */
  commitCounters(): Readonly<CommitCounters>;
}

/** The embedded event store: one SQLite file (WAL, fsync on every commit). */
export function openSqliteEventStore(options: SqliteEventStoreOptions): SqliteEventStore {
  const { db, file } = openDatabase({
    dataDir: options.dataDir,
    fileName: options.fileName ?? 'events.db',
    busyTimeoutMs: options.busyTimeoutMs ?? 5_000,
  });
  const pageSize = options.pageSize ?? 1_000;
  const statements = prepareStatements(db);
  const feed = createChangeFeed(statements, options.pollIntervalMs ?? 15);
  const committer = createGroupCommitter({ db, statements, file, onCommitted: feed.wakeAll });
  const subscriptions = new Set<AllSubscription>();
  let closed = false;
  options.logger?.info('event store opened', { file });

  function ensureOpen(): void {
    if (closed) throw new StoreError(`event store ${file} is closed`);
  }
  const reader = { statements, pageSize, ensureOpen };

  return {
    file,
    commitCounters: () => ({ ...committer.counters }),
    async append(streamId, events, expected) {
      ensureOpen();
      return committer.enqueue(toAppendRequest(streamId, events, expected));
    },
    readStream(streamId, readOptions = {}) {
      ensureOpen();
      return readStreamPages(reader, streamId, readOptions);
    },
    readAll(readOptions = {}) {
      ensureOpen();
      return readAllPages(reader, readOptions);
    },
    async headPosition() {
      ensureOpen();
      const head = statements.headSequence.get() as number | null;
      return head === null ? null : encodePosition(head);
    },
    eventsBetween(after, upTo) {
      // Sequences are dense (rowids, never deleted), so the difference is the count.
      return Math.max(0, decodePosition(upTo) - decodePosition(after));
    },
    subscribeToAll(subscribeOptions = {}) {
      ensureOpen();
      const subscription = subscribeToAll(
        { statements, feed, pageSize, onClosed: (s) => subscriptions.delete(s) },
        subscribeOptions,
      );
      subscriptions.add(subscription);
      return subscription;
    },
    async readSnapshot(streamId, version) {
      ensureOpen();
      const row = statements.readSnapshot.get(streamId);
      if (row === undefined || row.version !== version) return null;
      const { revision, position, state } = row;
      return { revision, position: encodePosition(position), version, state: JSON.parse(state) };
    },
    async writeSnapshot(streamId, snapshot) {
      ensureOpen();
      const state = checkedSnapshot(streamId, snapshot);
      const { revision, version } = snapshot;
      const position = decodePosition(snapshot.position, 'position');
      try {
        statements.writeSnapshot.run(streamId, revision, position, version, state);
        return state.length;
      } catch (error) {
        throw new StoreError(`event store ${file}: could not store a snapshot of ${streamId}`, {
          cause: error,
        });
      }
    },
    async ping() {
      ensureOpen();
      statements.headSequence.get();
    },
    async close() {
      if (closed) return;
      committer.flushNow();
      closed = true;
      await Promise.all([...subscriptions].map((subscription) => subscription.close()));
      db.close();
      options.logger?.info('event store closed', { file });
    },
  };
}

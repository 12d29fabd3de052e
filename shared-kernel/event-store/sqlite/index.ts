/**
 * The embedded EventStore adapter: `openSqliteEventStore({ dataDir, fileName?, logger? })`.
 * Several processes may open the same file: writes take turns on SQLite's write lock and
 * subscriptions notice each other's appends.
 */
export { openSqliteEventStore } from './sqlite-event-store';
export type { SqliteEventStore, SqliteEventStoreOptions } from './sqlite-event-store';
export type { CommitCounters } from './group-commit';
export { encodePosition, decodePosition } from './positions';
export { openHeadPositionReader } from './head-position';
export type { HeadPositionReader } from './head-position';

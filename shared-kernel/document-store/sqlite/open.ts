import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { StoreError } from '../../errors';

/** The read models live in their own file, apart from the event store's. */
export function readModelsFile(dataDir: string): string {
  return join(dataDir, 'read-models.db');
}

export interface OpenOptions {
  file: string;
  /** How long a statement waits for another process's lock before failing. */
  busyTimeoutMs?: number;
}

export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

const CATALOG = `
  CREATE TABLE IF NOT EXISTS _strata_targets (
    target TEXT PRIMARY KEY, collection TEXT NOT NULL, version INTEGER NOT NULL,
    declaration TEXT NOT NULL, indexed INTEGER NOT NULL, created_at TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS _strata_collections (
    name TEXT PRIMARY KEY, live TEXT NOT NULL, previous TEXT, next_version INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS _strata_checkpoints (
    processor TEXT NOT NULL, scope TEXT NOT NULL, position TEXT NOT NULL, updated_at TEXT NOT NULL,
    PRIMARY KEY (processor, scope)) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS _strata_fences (
    name TEXT PRIMARY KEY, token INTEGER NOT NULL) WITHOUT ROWID;
`;

const LEASES = `
  CREATE TABLE IF NOT EXISTS _strata_leases (
    name TEXT PRIMARY KEY, owner TEXT, token INTEGER NOT NULL, acquired_at INTEGER NOT NULL,
    renewed_at INTEGER NOT NULL, expires_at INTEGER NOT NULL) WITHOUT ROWID;
`;

/**
 * The leases of a read-model file live in a file of their own beside it: a worker frozen
 * (SIGSTOP, a VM pause) inside a batch's write transaction holds the read-model file's write
 * lock, and if the leases shared it no other worker could take a lease until it woke up.
 */
export function leasesFileOf(file: string): string {
  if (file === ':memory:') return file;
  return file.endsWith('.db') ? `${file.slice(0, -'.db'.length)}.leases.db` : `${file}.leases`;
}

/**
 * Opens (creating if needed) the read-model database. Every failure to get a usable database
 * (unwritable directory, a lock held elsewhere, a file that is not SQLite) is a StoreError naming
 * the file, raised here rather than at the first query.
 */
export function openReadModelDatabase({
  file,
  busyTimeoutMs = DEFAULT_BUSY_TIMEOUT_MS,
}: OpenOptions): Database.Database {
  return openDatabase(file, busyTimeoutMs, CATALOG, 'read-model store');
}

/** Opens (creating if needed) the lease file of the read-model file `file` (leasesFileOf). */
export function openLeaseDatabase({
  file,
  busyTimeoutMs = DEFAULT_BUSY_TIMEOUT_MS,
}: OpenOptions): Database.Database {
  return openDatabase(leasesFileOf(file), busyTimeoutMs, LEASES, 'lease store');
}

function openDatabase(
  file: string,
  busyTimeoutMs: number,
  schema: string,
  role: string,
): Database.Database {
  let db: Database.Database | undefined;
  try {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    db = new Database(file);
    db.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
    db.pragma('journal_mode = WAL');
    // NORMAL is safe here: in WAL mode a commit is still atomic and the database stays
    // consistent on a crash; a power loss may only drop the last commits, and since each batch
    // commits with its checkpoint, those are re-applied from the checkpoint, never doubled.
    db.pragma('synchronous = NORMAL');
    // Read models are rewritten in bulk during rebuilds: a larger page cache keeps the index
    // b-trees in memory instead of re-reading them for every batch.
    db.pragma('cache_size = -65536');
    db.exec(schema);
    return db;
  } catch (error) {
    db?.close();
    const reason = error instanceof Error ? error.message : String(error);
    throw new StoreError(`${role} ${file} cannot be opened: ${reason}`, { cause: error });
  }
}

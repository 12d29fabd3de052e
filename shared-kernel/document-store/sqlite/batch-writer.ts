import { ConflictError, ValidationError } from '../../errors';
import type { CheckedBatch } from '../batch';
import { parseTarget } from '../names';
import type { Position } from '../../events/envelope';
import type { Checkpoint, Doc } from '../port';
import type { Prepare, SqliteCatalog } from './catalog';
import { checkFenceHeld, checkLeaseHeld } from './leases';
import { quoted } from './sql';
import type Database from 'better-sqlite3';

interface TableWriters {
  upsert: Database.Statement;
  remove: Database.Statement;
}

/** A write as the table stores it: the document's JSON, or null to delete. */
export interface SerializedWrite {
  collection: string;
  id: string;
  json: string | null;
}

/**
 * The batch's documents as JSON, made before the write transaction begins: the file's write lock
 * is shared by every worker, so the time it is held is the part of a batch that cannot run in
 * parallel (serialising inside it was an eighth of the time it was held, folding orders).
 */
export function serializeWrites({ writes }: CheckedBatch): SerializedWrite[] {
  return writes.map(({ collection, id, doc }) => ({
    collection,
    id,
    json: doc === null ? null : serialize(collection, id, doc),
  }));
}

/**
 * Applies a checked batch inside the caller's transaction. One upsert and one delete statement
 * per table, prepared once and reused for every write: a rebuild's throughput rests on this.
 * `leases` reads the lease file; the lease is checked again after the writes, so a writer frozen
 * while writing and woken after a takeover is refused too.
 */
export function writeSqliteBatch(
  catalog: SqliteCatalog,
  prepare: Prepare,
  leases: Prepare,
  { checkpoint, target, expectedCheckpoint, fence }: CheckedBatch,
  writes: readonly SerializedWrite[],
): void {
  if (fence !== null) checkFenceHeld(leases, prepare, fence);
  if (target !== null) checkBuilding(catalog, target);
  if (checkpoint && expectedCheckpoint !== undefined) {
    checkUnmoved(prepare, checkpoint.processor, target ?? '', expectedCheckpoint);
  }
  const writersOf = new Map<string, TableWriters>();
  for (const write of writes) {
    let writers = writersOf.get(write.collection);
    if (!writers) {
      writers = writersFor(prepare, target ?? catalog.live(write.collection).target);
      writersOf.set(write.collection, writers);
    }
    if (write.json === null) writers.remove.run(write.id);
    else writers.upsert.run(write.id, write.json);
  }
  if (checkpoint) advance(prepare, checkpoint, target ?? '');
  if (fence !== null) checkLeaseHeld(leases, fence);
}

function writersFor(prepare: Prepare, table: string): TableWriters {
  return {
    upsert: prepare(
      `INSERT INTO ${quoted(table)} (id, doc) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc`,
    ),
    remove: prepare(`DELETE FROM ${quoted(table)} WHERE id = ?`),
  };
}

function checkBuilding(catalog: SqliteCatalog, target: string): void {
  const { collection } = parseTarget(target);
  catalog.target(collection, target);
  if (catalog.collection(collection).live === target) {
    throw new ConflictError(
      'target-is-live',
      `target ${target} is live; write through the collection name`,
    );
  }
}

function checkUnmoved(
  prepare: Prepare,
  processor: string,
  scope: string,
  expected: Position | null,
): void {
  const sql = 'SELECT position FROM _strata_checkpoints WHERE processor = ? AND scope = ?';
  const stored = (prepare(sql, 'pluck').get(processor, scope) as string | undefined) ?? null;
  if (stored !== expected) {
    throw new ConflictError(
      'checkpoint-moved',
      `checkpoint ${processor} is at ${stored ?? 'the start'}, not ${expected ?? 'the start'}`,
    );
  }
}

function advance(prepare: Prepare, { processor, position }: Checkpoint, scope: string): void {
  const changed = prepare(
    `INSERT INTO _strata_checkpoints (processor, scope, position, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (processor, scope) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at
     WHERE excluded.position > _strata_checkpoints.position`,
  ).run(processor, scope, position, new Date().toISOString()).changes;
  if (changed === 0) {
    throw new ConflictError(
      'checkpoint-not-advancing',
      `checkpoint ${processor} is already at or past ${position}`,
    );
  }
}

function serialize(collection: string, id: string, doc: Doc): string {
  try {
    return JSON.stringify(doc);
  } catch (error) {
    const field = `writes[${collection}/${id}].doc`;
    throw new ValidationError([
      { field, message: `cannot be stored as JSON: ${(error as Error).message}` },
    ]);
  }
}

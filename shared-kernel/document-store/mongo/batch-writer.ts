import { MongoServerError, type AnyBulkWriteOperation, type ClientSession, type Db } from 'mongodb';
import { ConflictError } from '../../errors';
import type { CheckedBatch } from '../batch';
import { parseTarget } from '../names';
import type { Position } from '../../events/envelope';
import type { Checkpoint } from '../port';
import { checkpointKey, type MongoCatalog } from './catalog';
import type { MongoLeases } from './leases';
import { toStored, type Stored } from './translate';

/**
 * Applies a checked batch inside the caller's transaction: the checkpoint first, so a stale one
 * fails before any document is sent, then one unordered bulkWrite per collection (the batch has
 * at most one write per document, so order within it does not matter).
 */
export async function writeMongoBatch(
  db: Db,
  catalog: MongoCatalog,

  { writes, checkpoint, target, expectedCheckpoint, fence }: CheckedBatch,
  session: ClientSession,
  leases: MongoLeases,
): Promise<void> {
  if (fence !== null) await leases.checkFenceHeld(fence, session);
  if (target !== null) {
    const { collection } = parseTarget(target);
    await catalog.target(collection, target, session);
    if ((await catalog.alias(collection, session)).live === target) {
      throw new ConflictError(
        'target-is-live',
        `target ${target} is live; write through the collection name`,
      );
    }
  }
  if (checkpoint && expectedCheckpoint !== undefined) {
    await checkUnmoved(catalog, checkpoint.processor, target ?? '', expectedCheckpoint, session);
  }
  if (checkpoint) await advance(catalog, checkpoint, target ?? '', session);
  const groups = new Map<string, Array<AnyBulkWriteOperation<Stored>>>();
  for (const { collection, id, doc } of writes) {
    let ops = groups.get(collection);
    if (!ops) groups.set(collection, (ops = []));
    ops.push(
      doc === null
        ? { deleteOne: { filter: { _id: id } } }
        : { replaceOne: { filter: { _id: id }, replacement: toStored(id, doc), upsert: true } },
    );
  }
  for (const [collection, ops] of groups) {
    const table = target ?? (await catalog.live(collection, session)).target;
    await db.collection<Stored>(table).bulkWrite(ops, { session, ordered: false });
  }
}

/** Compare-and-set inside the transaction: the stored checkpoint must be the one expected. */
async function checkUnmoved(
  catalog: MongoCatalog,
  processor: string,
  scope: string,
  expected: Position | null,
  session: ClientSession,
): Promise<void> {
  const stored = await catalog.checkpoints.findOne(
    { _id: checkpointKey(scope, processor) },
    { session },
  );
  const position = stored?.position ?? null;
  if (position !== expected) {
    throw new ConflictError(
      'checkpoint-moved',
      `checkpoint ${processor} is at ${position ?? 'the start'}, not ${expected ?? 'the start'}`,
    );
  }
}

/** The filter only matches an older checkpoint; a newer one makes the upsert a duplicate key. */
async function advance(
  catalog: MongoCatalog,

  { processor, position }: Checkpoint,
  scope: string,
  session: ClientSession,
): Promise<void> {
  try {
    await catalog.checkpoints.updateOne(
      { _id: checkpointKey(scope, processor), position: { $lt: position } },
      { $set: { processor, scope, position, updatedAt: new Date().toISOString() } },
      { upsert: true, session },
    );
  } catch (error) {
    if (error instanceof MongoServerError && error.code === 11000) {
      throw new ConflictError(
        'checkpoint-not-advancing',
        `checkpoint ${processor} is already at or past ${position}`,
      );
    }
    throw error;
  }
}

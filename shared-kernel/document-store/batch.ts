import { PayloadTooLargeError, ValidationError } from '../errors';
import { checkCollectionName, checkId, checkPosition, checkProcessor, parseTarget } from './names';
import type { Position } from '../events/envelope';
import { checkFence } from './lease';
import type { Batch, Checkpoint, DocumentWrite, LeaseFence } from './port';

export const MAX_BATCH_WRITES = 50_000;

/**
 * A batch this store cannot commit in one transaction (MongoDB: see mongo/transaction-size.ts).
 * Nothing was written; the caller commits the same events in smaller batches.
 */
export class BatchTooLargeError extends PayloadTooLargeError {}

export interface CheckedBatch {
  /** At most one write per (collection, id): the last one, as applying them in order would leave. */
  writes: DocumentWrite[];
  checkpoint: Checkpoint | null;
  /** Undefined: no compare-and-set; null: there must be no stored checkpoint yet. */
  expectedCheckpoint: Position | null | undefined;
  target: string | null;
  fence: LeaseFence | null;
}

/**
 * Checks the shape of a batch before anything is written. Document contents are not walked here
 * (that would double the cost of a rebuild): a document that cannot be serialized fails in the
 * adapter, before its transaction (SQLite) or inside it (MongoDB, which then rolls back).
 */
export function checkBatch(batch: Batch): CheckedBatch {
  if (!Array.isArray(batch?.writes) || batch.writes.length > MAX_BATCH_WRITES) {
    throw new ValidationError([
      { field: 'writes', message: `must be an array of at most ${MAX_BATCH_WRITES} writes` },
    ]);
  }
  const target = batch.target === undefined || batch.target === null ? null : batch.target;
  const targetCollection = target === null ? null : parseTarget(target).collection;
  const latest = new Map<string, DocumentWrite>();
  batch.writes.forEach((write, i) => {
    const collection = checkCollectionName(write?.collection, `writes[${i}].collection`);
    const id = checkId(write.id, `writes[${i}].id`);
    const doc = write.doc;
    if (doc !== null && (typeof doc !== 'object' || Array.isArray(doc))) {
      throw new ValidationError([
        { field: `writes[${i}].doc`, message: 'must be an object, or null to delete' },
      ]);
    }
    if (doc !== null && Object.hasOwn(doc, '_id')) {
      throw new ValidationError([
        { field: `writes[${i}].doc._id`, message: 'is reserved; the key is the write id' },
      ]);
    }
    if (targetCollection !== null && collection !== targetCollection) {
      throw new ValidationError([
        {
          field: `writes[${i}].collection`,
          message: `a batch for target ${target} writes only ${targetCollection}`,
        },
      ]);
    }
    const key = `${collection}\u0000${id}`;
    latest.delete(key);
    latest.set(key, { collection, id, doc });
  });
  const checkpoint = batch.checkpoint
    ? {
        processor: checkProcessor(batch.checkpoint.processor, 'checkpoint.processor'),
        position: checkPosition(batch.checkpoint.position, 'checkpoint.position'),
      }
    : null;
  const expected = batch.expectedCheckpoint;
  const expectedCheckpoint =
    expected === undefined || expected === null
      ? expected
      : checkPosition(expected, 'expectedCheckpoint');
  if (expectedCheckpoint !== undefined && checkpoint === null) {
    throw new ValidationError([
      { field: 'expectedCheckpoint', message: 'is only meaningful with a checkpoint' },
    ]);
  }
  const fence = batch.fence === undefined ? null : checkFence(batch.fence);
  return { writes: [...latest.values()], checkpoint, target, expectedCheckpoint, fence };
}

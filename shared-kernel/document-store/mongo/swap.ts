import type { ClientSession } from 'mongodb';
import { ConflictError, NotFoundError } from '../../errors';
import { parseTarget } from '../names';
import { checkpointKey, type MongoCatalog } from './catalog';

/**
 * Swaps run in one transaction: the alias and the checkpoints change together. The checkpoints a
 * rebuild kept with the incoming target become the live ones; the live ones they replace are
 * kept with the outgoing target, so a rollback restores documents and checkpoints as a pair.
 */
export async function swapIn(
  catalog: MongoCatalog,
  session: ClientSession,
  collection: string,
  target: string,
): Promise<void> {
  const alias = await catalog.alias(collection, session);
  await catalog.target(collection, target, session);
  if (alias.live === target) return;
  const incoming = await catalog.targets.findOne({ _id: target }, { session });
  const built = await catalog.checkpoints.find({ scope: target }, { session }).toArray();
  const updatedAt = new Date().toISOString();
  const put = (scope: string, processor: string, position: string) =>
    catalog.checkpoints.replaceOne(
      { _id: checkpointKey(scope, processor) },
      { processor, scope, position, updatedAt },
      { upsert: true, session },
    );
  for (const { processor, position } of built) {
    const outgoing = await catalog.checkpoints.findOne(
      { _id: checkpointKey('', processor) },
      { session },
    );
    if (outgoing) await put(alias.live, processor, outgoing.position);
    else
      await catalog.checkpoints.deleteOne(
        { _id: checkpointKey(alias.live, processor) },
        { session },
      );
    await put('', processor, position);
    await catalog.checkpoints.deleteOne({ _id: checkpointKey(target, processor) }, { session });
  }
  await catalog.aliases.updateOne(
    { _id: collection },
    {
      $set: {
        live: target,
        previous: alias.live,
        declaration: incoming?.declaration ?? alias.declaration,
      },
    },
    { session },
  );
}

export async function previousOf(catalog: MongoCatalog, collection: string): Promise<string> {
  const { previous } = await catalog.alias(collection);
  if (previous === null) {
    throw new ConflictError(
      'no-previous-target',
      `collection ${collection} has no previous target to roll back to`,
    );
  }
  return previous;
}

/** Forgets the target in one transaction; its collection is dropped after the commit. */
export async function forget(
  catalog: MongoCatalog,
  session: ClientSession,
  target: string,
): Promise<void> {
  const { collection } = parseTarget(target);
  const alias = await catalog.alias(collection, session);
  if (alias.live === target)
    throw new ConflictError('target-is-live', `target ${target} is live; swap first`);
  const { deletedCount } = await catalog.targets.deleteOne({ _id: target }, { session });
  if (deletedCount === 0) throw new NotFoundError(`target ${target} does not exist`);
  await catalog.checkpoints.deleteMany({ scope: target }, { session });
  if (alias.previous === target)
    await catalog.aliases.updateOne({ _id: collection }, { $set: { previous: null } }, { session });
}

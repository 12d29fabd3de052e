import { ConflictError } from '../../shared-kernel/errors';
import { partitionsOfTarget } from '../engine/partition-layout';
import type { CliContext } from './cli-context';
import type { CatalogueEntry } from './processor-catalogue';

/**
 * Rebuild, reset and rollback swap a processor's target with the checkpoints kept with it; a
 * partitioned processor's partitions keep theirs under their own names, which these commands do
 * not yet move, so a swap would leave the partitions folding from checkpoints that do not
 * belong to the documents. Until they do, they refuse a processor that is (or is configured to
 * be) partitioned, or whose target to roll back to was.
 */
export async function refusePartitioned(context: CliContext, entry: CatalogueEntry): Promise<void> {
  const { store, config } = context;
  const collection = entry.collection.name;
  await store.ensureCollection(entry.collection);
  const { live, previous } = await store.targets(collection);
  const counts = [
    config.partitions.get(entry.name) ?? 1,
    await partitionsOfTarget(store, live),
    previous === null ? 1 : await partitionsOfTarget(store, previous),
  ];
  if (counts.every((count) => count === 1)) return;
  throw new ConflictError(
    'partitioned',
    `${entry.name} is partitioned (STRATA_PARTITIONS, or a target built in partitions): ` +
      'rebuild, reset and rollback do not support partitioned processors yet; stop the ' +
      'workers, and to start it over whole, set it whole in STRATA_PARTITIONS',
  );
}

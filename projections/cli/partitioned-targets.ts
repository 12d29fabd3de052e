import type { TargetInfo } from '../../shared-kernel/document-store/port';
import { ConflictError } from '../../shared-kernel/errors';
import { describeLayout, partitionsOfTarget } from '../engine/partition-layout';
import { PARTITIONABLE_PROCESSORS, processorOf } from '../engine/partitions';
import type { CliContext } from './cli-context';
import type { CatalogueEntry } from './processor-catalogue';

/**
 * Rebuild, reset and rollback of a processor that is, was or is to be partitioned. A rebuild
 * and a reset fold every stream in one pass into a new target and then hand each partition its
 * checkpoint there (preparePartitionedTarget), so the new target gets the count STRATA_PARTITIONS
 * gives now, whatever the live one had. A rollback brings back the count its target was built
 * with.
 *
 * Changing the count while a worker owns any part of the processor is refused: a worker running
 * the old count keeps folding under the old names, whose checkpoints the swap does not move,
 * into the documents that just became live, and would apply events twice or skip them.
 */
export async function partitionsOfNewTarget(
  context: CliContext,
  entry: CatalogueEntry,
): Promise<number> {
  if (!PARTITIONABLE_PROCESSORS.has(entry.name)) return 1;
  const count = context.config.partitions.get(entry.name) ?? 1;
  const live = await partitionsOfTarget(context.store, await liveTarget(context, entry));
  if (count !== live) await refuseWhileOwned(context, entry, live, count);
  return count;
}

/** The count the rollback brings back (the workers must then run with it). */
export async function partitionsAfterRollback(
  context: CliContext,
  entry: CatalogueEntry,
  before: TargetInfo,
): Promise<number> {
  if (!PARTITIONABLE_PROCESSORS.has(entry.name) || before.previous === null) return 1;
  const live = await partitionsOfTarget(context.store, before.live);
  const previous = await partitionsOfTarget(context.store, before.previous);
  if (live !== previous) await refuseWhileOwned(context, entry, live, previous);
  return previous;
}

/** What to tell the user when the workers' STRATA_PARTITIONS no longer fits the live target. */
export function partitionsAdvice(context: CliContext, entry: CatalogueEntry, count: number) {
  if ((context.config.partitions.get(entry.name) ?? 1) === count) return '';
  const setting = count > 1 ? `${entry.name}=${count}` : `without ${entry.name}`;
  return `; ${entry.name} is now live ${describeLayout(count)}: start the workers with STRATA_PARTITIONS ${setting}`;
}

/** Its callers (rebuild, reset) have ensured the collection already. */
async function liveTarget({ store }: CliContext, entry: CatalogueEntry): Promise<string> {
  return (await store.targets(entry.collection.name)).live;
}

async function refuseWhileOwned(
  { store }: CliContext,
  entry: CatalogueEntry,
  from: number,
  to: number,
): Promise<void> {
  const now = Date.now();
  const owned = (await store.leases()).filter(
    (lease) =>
      processorOf(lease.name) === entry.name &&
      lease.owner !== null &&
      Date.parse(lease.expiresAt) > now,
  );
  if (owned.length === 0) return;
  const owners = owned.map((lease) => `${lease.name} by ${lease.owner}`).join(', ');
  throw new ConflictError(
    'partitions-in-use',
    `${entry.name} would go from ${describeLayout(from)} to ${describeLayout(to)} while workers ` +
      `run it (${owners}): stop the workers first, then start them with the new STRATA_PARTITIONS`,
  );
}

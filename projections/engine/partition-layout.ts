import type { DocumentStore } from '../../shared-kernel/document-store/port';
import { ConfigError } from '../../shared-kernel/errors';
import type { Position } from '../../shared-kernel/events/envelope';
import { PARTITIONABLE_PROCESSORS, partitionNames } from './partitions';
import type { ProcessorSpec } from './processor';

/**
 * How many partitions each target of a partitionable processor was built for, one document per
 * target (`orders__v3`): the partitions' checkpoints are kept with the target and move with it
 * on a swap or rollback, so the count they belong to is a property of the target too. No
 * document means whole (every deployment before partitions existed).
 */
export const PARTITION_LAYOUTS = { name: 'partition_layouts', indexes: [] };

interface LayoutDoc {
  [key: string]: string | number;
  processor: string;
  partitions: number;
}

export async function partitionsOfTarget(store: DocumentStore, target: string): Promise<number> {
  await store.ensureCollection(PARTITION_LAYOUTS);
  return (await store.get<LayoutDoc>(PARTITION_LAYOUTS.name, target))?.partitions ?? 1;
}

async function writeLayout(store: DocumentStore, processor: string, count: number, target: string) {
  const doc: LayoutDoc = { processor, partitions: count };
  await store.ensureCollection(PARTITION_LAYOUTS);
  await store.commitBatch({
    writes: [{ collection: PARTITION_LAYOUTS.name, id: target, doc: count > 1 ? doc : null }],
  });
}

/**
 * Makes a target built whole (a rebuild or a reset folds every stream in one pass) ready to be
 * run in `count` partitions: its layout, and each partition's checkpoint kept with it at
 * `position`, where the whole fold stopped, so the swap hands every partition its place. Safe to
 * repeat (a rebuild resumed after a crash here).
 */
export async function preparePartitionedTarget(
  store: DocumentStore,
  processor: string,
  count: number,
  target: string,
  position: Position | null,
): Promise<void> {
  if (count > 1 && position !== null) {
    for (const name of partitionNames(processor, count)) {
      const kept = await store.getCheckpoint(name, { target });
      if (kept === position) continue;
      await store.commitBatch({ writes: [], checkpoint: { processor: name, position }, target });
    }
  }
  await writeLayout(store, processor, count, target);
}

/**
 * Refuses to start partitions the live targets were not built for: a partition starting from
 * no checkpoint over a model folded whole (or folded in other partitions, whose checkpoints
 * differ) would apply events twice or skip them. A processor that never ran (no checkpoint under
 * any of its names) takes the configured count as it is.
 */
export async function checkPartitionLayouts(
  store: DocumentStore,
  specs: readonly ProcessorSpec[],
): Promise<void> {
  const configured = new Map<string, { count: number; collection: string }>();
  for (const spec of specs) {
    const processor = spec.partition?.processor ?? spec.projection.name;
    const collection = spec.projection.collections[0]?.name;
    if (!PARTITIONABLE_PROCESSORS.has(processor) || collection === undefined) continue;
    configured.set(processor, { count: spec.partition?.count ?? 1, collection });
  }
  const live = new Set((await store.getCheckpoints()).map((c) => c.processor));
  const problems: string[] = [];
  for (const [processor, { count, collection }] of configured) {
    const target = (await store.targets(collection)).live;
    const built = await partitionsOfTarget(store, target);
    if (built === count) continue;
    const ran = [...live].some((name) => name === processor || name.startsWith(`${processor}:`));
    if (!ran) {
      await writeLayout(store, processor, count, target);
      continue;
    }
    problems.push(
      `${processor} is configured ${describeLayout(count)}, but its live target ${target} was built ` +
        `${describeLayout(built)}`,
    );
  }
  if (problems.length === 0) return;
  throw new ConfigError(
    `invalid configuration:\n  STRATA_PARTITIONS: ${problems.join('; ')}. Changing a ` +
      'processor’s partitions needs a rebuild (`strata projections rebuild <name>`, or ' +
      '`reset --yes` for kafka-mirror) run with the new STRATA_PARTITIONS while the workers ' +
      'are stopped, or set STRATA_PARTITIONS back',
  );
}

export const describeLayout = (count: number): string =>
  count > 1 ? `in ${count} partitions` : 'whole';

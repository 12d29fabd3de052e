import type { Position, RecordedEvent } from '../../shared-kernel/events/envelope';
import { foldBatch } from '../engine/fold-batch';
import { ignoreProgress, type ProcessorSpec } from '../engine/processor';
import { preparePartitionedTarget } from '../engine/partition-layout';
import type { CliContext } from './cli-context';
import { partitionsOfNewTarget } from './partitioned-targets';
import type { CatalogueEntry } from './processor-catalogue';
import { newSearchTarget, swapSearchAlias } from './search-targets';

export interface StartOverResult {
  target: string;
  previous: string;
  searchTarget: string | null;
  /** Where the processor now stands: the first event of the log (null: the log is empty). */
  checkpoint: Position | null;
}

/**
 * Makes a processor start over from the beginning of the log: a new, empty target becomes live.
 *
 * Why the first event is folded here: a swap carries the checkpoint kept with the incoming
 * target, and a target with none would leave the live checkpoint where it was (the worker would
 * carry on from there over an empty model). So the new target gets the first event of the log,
 * folded exactly as the worker would fold it (effect included: the Kafka mirror re-publishes it,
 * the saga re-issues its command, both idempotent), with its position as checkpoint; the worker
 * resumes after it and redoes the rest; so does each partition of a partitioned processor (one
 * fold of the first event is right for all of them: only its own stream's partition has documents
 * it touches).
 */
export async function startOver(
  context: CliContext,
  entry: CatalogueEntry,
): Promise<StartOverResult> {
  const { store, processors } = context;
  const collection = entry.collection.name;
  await store.ensureCollection(entry.collection);
  const previous = (await store.targets(collection)).live;
  const searchTarget = entry.indexesSearch ? await newSearchTarget(context) : null;
  const spec = searchTarget ? processors.specWritingTo(entry.name, searchTarget) : entry.spec;
  const partitions = await partitionsOfNewTarget(context, entry);
  const target = await store.createTarget(collection);
  const first = await firstEvent(context);
  if (first) await foldFirstEvent(context, spec, target, first);
  await preparePartitionedTarget(store, entry.name, partitions, target, first?.position ?? null);
  await store.swap(collection, target);
  if (searchTarget) await swapSearchAlias(context, searchTarget);
  return { target, previous, searchTarget, checkpoint: first?.position ?? null };
}

async function firstEvent({ eventStore }: CliContext): Promise<RecordedEvent | null> {
  for await (const event of eventStore.readAll({ maxCount: 1 })) return event;
  return null;
}

async function foldFirstEvent(
  { store, upcast }: CliContext,
  spec: ProcessorSpec,
  target: string,
  first: RecordedEvent,
): Promise<void> {
  const events = spec.projection.handles.has(first.type) ? [upcast(first)] : [];
  const applied = await foldBatch(spec.projection, store, events, {
    target,
    traced: spec.effect !== undefined,
  });
  if (spec.effect && applied.trace.length > 0) await spec.effect(applied.trace, ignoreProgress);
  await store.commitBatch({
    writes: applied.writes,
    checkpoint: { processor: spec.projection.name, position: first.position },
    target,
  });
}

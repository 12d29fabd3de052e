import type { DocumentStore } from '../../../shared-kernel/document-store/port';
import type { RecordedEvent } from '../../../shared-kernel/events/envelope';
import type { EventStore } from '../../../shared-kernel/event-store/port';
import { rebuildProjection } from '../../../projections/engine/rebuild';
import { readModelProjections } from '../../../projections/read-models';
import { compareCollection, type CollectionComparison } from './document-comparison';

/**
 * Rebuilds each named read model from the whole log into `reference` (a separate store, so the
 * live one is untouched) with the engine's own rebuildProjection, then compares every document
 * of the live collection with the rebuilt one.
 */
export async function compareWithRebuilds(
  names: readonly string[],
  deps: {
    eventStore: EventStore;
    live: DocumentStore;
    reference: DocumentStore;
    upcast: (event: RecordedEvent) => RecordedEvent;
  },
): Promise<CollectionComparison[]> {
  const comparisons: CollectionComparison[] = [];
  for (const name of names) {
    const projection = readModelProjections().find((p) => p.name === name);
    if (!projection) throw new Error(`no read model named ${name}`);
    for (const collection of projection.collections) {
      await deps.reference.ensureCollection(collection);
    }
    await rebuildProjection(name, {
      eventStore: deps.eventStore,
      store: deps.reference,
      specFor: async () => ({ projection, rebuildable: true }),
      upcast: deps.upcast,
      batchSize: 1000,
    });
    for (const collection of projection.collections) {
      comparisons.push(await compareCollection(deps.live, deps.reference, collection.name));
    }
  }
  return comparisons;
}

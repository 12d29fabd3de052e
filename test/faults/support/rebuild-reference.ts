import { expect } from 'chai';
import path from 'node:path';
import type { DocumentStore } from '../../../shared-kernel/document-store/port';
import { readModelsFile } from '../../../shared-kernel/document-store/sqlite/open';
import { openSqliteDocumentStore } from '../../../shared-kernel/document-store/sqlite/sqlite-document-store';
import type { RecordedEvent } from '../../../shared-kernel/events/envelope';
import type { EventStore } from '../../../shared-kernel/event-store/port';
import { rebuildProjection } from '../../../projections/engine/rebuild';
import { readModelProjections } from '../../../projections/read-models';
import { compareCollection, type CollectionComparison } from './document-comparison';
import { figure } from './figures';

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

/**
 * The document read models a worker left in `dataDir` (products, orders, inventory, audit),
 * each compared with a rebuild from the whole log into a file of its own; prints one figure
 * per collection and returns the comparisons for `expectEqualToRebuilds`.
 */
export async function compareReadModelsWithRebuilds(
  scenario: string,
  dataDir: string,
  eventStore: EventStore,
  upcast: (event: RecordedEvent) => RecordedEvent,
): Promise<CollectionComparison[]> {
  const live = openSqliteDocumentStore({ file: readModelsFile(dataDir) });
  const reference = openSqliteDocumentStore({ file: path.join(dataDir, 'rebuilt.db') });
  let comparisons: CollectionComparison[];
  try {
    comparisons = await compareWithRebuilds(['products', 'orders', 'inventory', 'audit'], {
      eventStore,
      live,
      reference,
      upcast,
    });
  } finally {
    await live.close();
    await reference.close();
  }
  for (const c of comparisons) {
    figure(
      scenario,
      `read model ${c.collection}: documents live/rebuilt, differing`,
      `${c.documents}/${c.reference}, ${c.differing}`,
    );
  }
  return comparisons;
}

export function expectEqualToRebuilds(comparisons: readonly CollectionComparison[]): void {
  for (const c of comparisons) {
    expect(c.documents, `${c.collection} document count`).to.equal(c.reference);
    expect(c.differing, `${c.collection}: ${c.examples.join('\n')}`).to.equal(0);
  }
}

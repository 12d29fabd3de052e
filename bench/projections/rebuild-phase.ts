import type { Batch, DocumentStore } from '../../shared-kernel/document-store/port';
import type { RecordedEvent } from '../../shared-kernel/events/envelope';
import type { EventStore } from '../../shared-kernel/event-store/port';
import type { SearchIndex } from '../../shared-kernel/search-index/port';
import { rebuildProjection } from '../../projections/engine/rebuild';
import { readModelSpecs } from '../../projections/processors';
import { PRODUCT_SEARCH_INDEX, PRODUCT_SEARCH_PROCESSOR } from '../../projections/read-models';
import { cpuMicros, startMemorySampler } from '../support/measure';
import { observedStore } from './observed-store';

export interface RebuildDeps {
  eventStore: EventStore;
  store: DocumentStore;
  search: SearchIndex;
  upcast: (event: RecordedEvent) => RecordedEvent;
  batchSize: number;
}

export interface RebuildFigures {
  processor: string;
  events: number;
  perSecond: number;
  cpuMicrosEach: number;
  startRssMb: number;
  peakRssMb: number;
  /** RSS when a quarter, half, three quarters and all of the log had been processed. */
  rssAtQuarters: number[];
  /** Documents each committed batch wrote: what the plain baseline writes too. */
  writesPerBatch: number[];
  /** The event types the read model handles: the only ones its rebuild reads. */
  types: ReadonlySet<string>;
  /** The search target the rebuild swapped in, for the search processor. */
  searchTarget: string | null;
}

/**
 * Rebuilds one read model through `rebuildProjection`, the path `strata projections rebuild`
 * takes: a new target filled from the start of `$all` in batches, then swapped live. The store
 * is observed only to count the documents each batch wrote; memory is sampled at every batch.
 */
export async function measureRebuild(
  processor: string,
  deps: RebuildDeps,
): Promise<RebuildFigures> {
  const searchTarget =
    processor === PRODUCT_SEARCH_PROCESSOR
      ? await deps.search.createTarget(PRODUCT_SEARCH_INDEX.name)
      : null;
  const writesPerBatch: number[] = [];
  const store = observedStore(deps.store, (batch: Batch) => {
    if (batch.target !== undefined) writesPerBatch.push(batch.writes.length);
  });
  const specs = readModelSpecs(deps.search, searchTarget ?? undefined);
  const spec = specs.find((s) => s.projection.name === processor);
  if (!spec) throw new Error(`${processor} is not one of the read models`);
  // As `strata projections rebuild` does: the live collection is declared before the rebuild.
  for (const collection of spec.projection.collections)
    await deps.store.ensureCollection(collection);
  const rssAtQuarters: number[] = [];
  const memory = startMemorySampler();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const outcome = await rebuildProjection(processor, {
    eventStore: deps.eventStore,
    store,
    specFor: async () => spec,
    ...(searchTarget
      ? {
          afterSwap: (target: string) =>
            deps.search.swapAlias(PRODUCT_SEARCH_INDEX.name, searchTarget ?? target),
        }
      : {}),
    upcast: deps.upcast,
    batchSize: deps.batchSize,
    onProgress: ({ processed, total }) => {
      memory.sample();
      const quarter = total ? Math.floor((processed / total) * 4) : 0;
      while (rssAtQuarters.length < quarter)
        rssAtQuarters.push(process.memoryUsage.rss() / 2 ** 20);
    },
  });
  const seconds = (performance.now() - started) / 1000;
  const { startRssMb, peakRssMb } = memory.stop();
  if (outcome.kind !== 'swapped') throw new Error(`${processor} rebuild was interrupted`);
  return {
    processor,
    events: outcome.events,
    perSecond: outcome.events / seconds,
    cpuMicrosEach: cpuMicros(cpu) / outcome.events,
    startRssMb,
    peakRssMb,
    rssAtQuarters,
    writesPerBatch,
    types: spec.projection.handles,
    searchTarget,
  };
}

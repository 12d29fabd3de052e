import type { DocumentStore } from '../../shared-kernel/document-store/port';
import { ConflictError } from '../../shared-kernel/errors';
import type { EventStore } from '../../shared-kernel/event-store/port';
import {
  comparePositions,
  type Position,
  type RecordedEvent,
} from '../../shared-kernel/events/envelope';
import { commitEvents } from './commit';
import { documentCache } from './document-cache';
import type { ForeignEventFilter } from './foreign-events';
import type { ProcessorSpec } from './processor';
import { swapRebuiltTargets } from './swap-order';

export const REBUILDS = { name: 'rebuilds', indexes: [] };

/** The marker of a rebuild in progress: what makes an interrupted rebuild resumable. */
interface RebuildMarker {
  [key: string]: string;
  processor: string;
  collection: string;
  target: string;
  startedAt: string;
}

export interface RebuildProgress {
  processed: number;
  /** Events in the log when the rebuild looked last (it keeps going until it reaches the head). */
  total: number | null;
  checkpoint: Position | null;
}

export interface RebuildDeps {
  eventStore: EventStore;
  store: DocumentStore;
  /** Builds the processor for a target: a search processor must write to its own new index. */
  specFor: (target: string) => Promise<ProcessorSpec>;
  /** Swaps a store's own alias to its rebuilt target (the search index): see swap-order.ts. */
  swapSearchAlias?: () => Promise<void>;
  /** Drops events of streams that are not Strata's (foreign-events.ts); none by default. */
  ownEvents?: ForeignEventFilter;
  upcast: (event: RecordedEvent) => RecordedEvent;
  batchSize: number;
  onProgress?: (progress: RebuildProgress) => void;
  /** Aborting stops after the batch in hand; the live model is untouched and a rerun resumes. */
  signal?: AbortSignal;
  now?: () => Date;
  /** Documents kept in memory across batches (the first learned go first); 20,000. */
  documentsKept?: number;
  /** Runs once the target has caught up, before it is swapped in (partitions' checkpoints). */
  beforeSwap?: (target: string, checkpoint: Position | null) => Promise<void>;
}

export type RebuildOutcome =
  { kind: 'swapped'; target: string; events: number } | { kind: 'interrupted'; target: string };

/**
 * Builds a new versioned target from the start of `$all` while the live one keeps serving and
 * updating, catches up to the head, and swaps. The live worker notices the swap when its next
 * commit finds the checkpoint moved, and goes on from the rebuilt target's checkpoint.
 */
export async function rebuildProjection(
  processor: string,
  deps: RebuildDeps,
): Promise<RebuildOutcome> {
  const { store, eventStore } = deps;
  await store.ensureCollection(REBUILDS);
  const probe = await deps.specFor('probe');
  if (!probe.rebuildable) {
    throw new ConflictError(
      'not-rebuildable',
      `${processor} has side effects and is never rebuilt`,
    );
  }
  const [collection, ...others] = probe.projection.collections;
  if (!collection || others.length > 0)
    throw new Error(`${processor}: a rebuild needs exactly one collection`);

  const marker = await resumableMarker(store, processor);
  const target = marker?.target ?? (await store.createTarget(collection.name));
  if (!marker) {
    const doc: RebuildMarker = {
      processor,
      collection: collection.name,
      target,
      startedAt: (deps.now?.() ?? new Date()).toISOString(),
    };
    await store.commitBatch({ writes: [{ collection: REBUILDS.name, id: processor, doc }] });
  }
  const spec = await deps.specFor(target);
  const handles = spec.projection.handles;
  const startedFrom = await store.getCheckpoint(processor, { target });
  let checkpoint = startedFrom;
  let read = 0;
  // What each batch wrote, so the next one does not read it back from the target.
  const documents = documentCache(deps.documentsKept);
  while (true) {
    const head = await eventStore.headPosition();
    const total = eventStore.eventsBetween ? eventStore.eventsBetween(null, head) : null;
    if (head === null || (checkpoint !== null && checkpoint >= head)) break;
    let batch: RecordedEvent[] = [];
    const flush = async (to: Position) => {
      const own = deps.ownEvents ? deps.ownEvents(batch) : batch;
      const relevant = own.filter((e) => handles.has(e.type));
      await commitEvents(
        { spec, store, upcast: deps.upcast, documents },
        { events: relevant, from: checkpoint, to, target },
      );
      checkpoint = to;
      read += batch.length;
      batch = [];
      const processed = eventStore.eventsBetween?.(startedFrom, checkpoint) ?? read;
      deps.onProgress?.({ processed, total, checkpoint });
      // The embedded stores answer synchronously: without a turn of the event loop per batch a
      // rebuild is one long microtask chain and Ctrl-C (the abort signal) is never delivered.
      await new Promise((resolve) => setImmediate(resolve));
    };
    // The store skips the other types before decoding them (where it can: see ReadAllOptions).
    for await (const event of eventStore.readAll({ after: checkpoint, types: handles })) {
      batch.push(event);
      if (batch.length >= deps.batchSize) await flush(event.position);
      if (deps.signal?.aborted) break;
    }
    if (deps.signal?.aborted) {
      if (batch.length > 0) await flush(batch[batch.length - 1]!.position);
      return { kind: 'interrupted', target };
    }
    // A read to its end has seen everything up to the head, whatever types it yielded last.
    const last = batch[batch.length - 1]?.position ?? null;
    const end = last !== null && comparePositions(last, head) > 0 ? last : head;
    if (batch.length > 0 || checkpoint === null || comparePositions(checkpoint, end) < 0)
      await flush(end);
  }
  await deps.beforeSwap?.(target, checkpoint);
  await swapRebuiltTargets(store, collection.name, target, deps.swapSearchAlias);
  await store.commitBatch({ writes: [{ collection: REBUILDS.name, id: processor, doc: null }] });
  return {
    kind: 'swapped',
    target,
    events: eventStore.eventsBetween?.(startedFrom, checkpoint) ?? read,
  };
}

/** An earlier, interrupted rebuild of this processor whose target still exists and is not live. */
async function resumableMarker(
  store: DocumentStore,
  processor: string,
): Promise<RebuildMarker | null> {
  const marker = await store.get<RebuildMarker>(REBUILDS.name, processor);
  if (!marker) return null;
  const targets = await store.targets(marker.collection);
  return targets.live === marker.target ? null : marker;
}

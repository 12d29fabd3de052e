import type { Doc, DocumentStore, DocumentWrite } from '../../shared-kernel/document-store/port';
import { comparePositions, type RecordedEvent } from '../../shared-kernel/events/envelope';
import type { DocumentCache } from './document-cache';
import type { TraceEntry } from './processor';
import { docKey, type DocKey, type DocumentProjection } from './projection';

export interface AppliedBatch {
  /** The last write per document: what the batch leaves behind. */
  writes: DocumentWrite[];
  /** Per event, only when asked for (effects need it; plain read models do not pay for it). */
  trace: TraceEntry[];
}

/**
 * Folds a batch through a projection: loads every document the batch reads in one query per
 * collection, applies the events in log order against that working set (so an event sees what
 * an earlier one in the same batch wrote), and returns the final write per document. With a
 * `cache` (a rebuild's), documents it knows are not read again.
 */
export async function foldBatch(
  projection: DocumentProjection,
  store: DocumentStore,
  events: readonly RecordedEvent[],
  options: { target?: string; traced: boolean; cache?: DocumentCache | undefined },
): Promise<AppliedBatch> {
  const working = await loadWorkingSet(projection, store, events, options);
  const writes = new Map<string, DocumentWrite>();
  const trace: TraceEntry[] = [];
  // Log order, whatever order the events were handed over in: a projection may rely on it.
  const ordered = isInLogOrder(events)
    ? events
    : [...events].sort((a, b) => comparePositions(a.position, b.position));
  for (const event of ordered) {
    const before = new Map<string, Doc | null>();
    const see = (keys: readonly DocKey[]) => {
      for (const { collection, id } of keys) {
        const key = docKey(collection, id);
        before.set(key, working.get(key) ?? null);
      }
    };
    see(projection.reads(event));
    const more = projection.readsAfter?.(event, before) ?? [];
    if (more.length > 0) {
      await loadInto(working, more, store, options);
      see(more);
    }
    const eventWrites = projection.apply(event, before);
    for (const write of eventWrites) {
      const key = docKey(write.collection, write.id);
      working.set(key, write.doc);
      writes.set(key, write);
    }
    if (options.traced) trace.push({ event, before, writes: eventWrites });
  }
  return { writes: [...writes.values()], trace };
}

async function loadWorkingSet(
  projection: DocumentProjection,
  store: DocumentStore,
  events: readonly RecordedEvent[],
  options: LoadOptions,
): Promise<Map<string, Doc | null>> {
  const working = new Map<string, Doc | null>();
  await loadInto(
    working,
    events.flatMap((event) => projection.reads(event)),
    store,
    options,
  );
  return working;
}

type LoadOptions = { target?: string; cache?: DocumentCache | undefined };

/** Adds `keys` to `working`: from the cache where it knows them, else one query per collection. */
async function loadInto(
  working: Map<string, Doc | null>,
  keys: readonly DocKey[],
  store: DocumentStore,
  { target, cache }: LoadOptions,
): Promise<void> {
  const idsByCollection = new Map<string, Set<string>>();
  for (const { collection, id } of keys) {
    const key = docKey(collection, id);
    if (working.has(key)) continue;
    const known = cache?.get(key);
    if (known !== undefined) {
      working.set(key, known);
      continue;
    }
    let ids = idsByCollection.get(collection);
    if (!ids) idsByCollection.set(collection, (ids = new Set()));
    ids.add(id);
  }
  for (const [collection, ids] of idsByCollection) {
    const found = await store.getMany(collection, [...ids], target ? { target } : undefined);
    const read = [...ids].map((id) => ({ collection, id, doc: found.get(id) ?? null }));
    for (const { id, doc } of read) working.set(docKey(collection, id), doc);
    cache?.remember(read);
  }
}

function isInLogOrder(events: readonly RecordedEvent[]): boolean {
  for (let i = 1; i < events.length; i++) {
    if ((events[i] as RecordedEvent).position < (events[i - 1] as RecordedEvent).position) {
      return false;
    }
  }
  return true;
}

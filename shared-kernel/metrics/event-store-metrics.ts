import { Counter, type Registry } from 'prom-client';
import { decorateEventStore } from '../event-store/decorate';
import type { EventStore } from '../event-store/port';

/**
 * The event store, counting the events of every successful append by stream category (`product`,
 * `sku`, `stock`, `order`: the part of the stream id before its first `-`, a bounded set). Counted
 * here rather than per command because one command may append to two streams (a product and
 * its SKU claim). An append retried after a lost answer, which stores nothing, counts again.
 */
/**
 * Counts events in Strata's streams that do not decode as Strata's (another writer), which the
 * EventStoreDB adapter skips: give it to `openEventStore` as `onForeignEvent`.
 */
export function foreignEventCounter(registry: Registry): () => void {
  const skipped = new Counter({
    name: 'strata_event_store_foreign_events_skipped_total',
    help: "Events in Strata's streams that are not Strata's, skipped by the event store",
    registers: [registry],
  });
  return () => skipped.inc();
}

export function countingEventStore(store: EventStore, registry: Registry): EventStore {
  const appended = new Counter({
    name: 'strata_events_appended_total',
    help: 'Events appended to the event store, by stream category',
    labelNames: ['category'] as const,
    registers: [registry],
  });
  return decorateEventStore(store, {
    async append(streamId, events, expected) {
      const result = await store.append(streamId, events, expected);
      const dash = streamId.indexOf('-');
      appended.inc({ category: dash > 0 ? streamId.slice(0, dash) : streamId }, events.length);
      return result;
    },
  });
}

import { Counter, type Registry } from 'prom-client';
import type { EventStore } from '../event-store/port';

/**
 * The event store, counting the events of every successful append by stream category (`product`,
 * `sku`, `stock`, `order`: the part of the stream id before its first `-`, a bounded set). Counted
 * here rather than per command because one command may append to two streams (a product and
 * its SKU claim). An append retried after a lost answer, which stores nothing, counts again.
 */
export function countingEventStore(store: EventStore, registry: Registry): EventStore {
  const appended = new Counter({
    name: 'strata_events_appended_total',
    help: 'Events appended to the event store, by stream category',
    labelNames: ['category'] as const,
    registers: [registry],
  });
  const { eventsBetween } = store;
  return {
    async append(streamId, events, expected) {
      const result = await store.append(streamId, events, expected);
      const dash = streamId.indexOf('-');
      appended.inc({ category: dash > 0 ? streamId.slice(0, dash) : streamId }, events.length);
      return result;
    },
    readStream: (streamId, options) => store.readStream(streamId, options),
    readAll: (options) => store.readAll(options),
    headPosition: () => store.headPosition(),
    subscribeToAll: (options) => store.subscribeToAll(options),
    ...(eventsBetween && {
      eventsBetween: (after, upTo) => eventsBetween.call(store, after, upTo),
    }),
    readSnapshot: (streamId, version) => store.readSnapshot(streamId, version),
    writeSnapshot: (streamId, snapshot) => store.writeSnapshot(streamId, snapshot),
    ping: () => store.ping(),
    close: () => store.close(),
  };
}

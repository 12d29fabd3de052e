import type { EventStore } from './port';

/**
 * An event store that answers every call from `store` except those in `overrides`: how the
 * metrics counter and the worker's shared head wrap an adapter without each listing the port.
 */
export function decorateEventStore(
  store: EventStore,
  overrides: Partial<Omit<EventStore, 'eventsBetween'>>,
): EventStore {
  const { eventsBetween } = store;
  return {
    append: (streamId, events, expected) => store.append(streamId, events, expected),
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
    ...overrides,
  };
}

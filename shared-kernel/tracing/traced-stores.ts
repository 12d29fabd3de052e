import type { DocumentStore } from '../document-store/port';
import type { EventStore } from '../event-store/port';
import type { SearchIndex } from '../search-index/port';
import { withSpans } from './traced-port';
import type { Tracing } from './tracing';

/**
 * The spans of the stores whose clients have no instrumentation, put on at the composition root
 * (the adapters stay as they are). MongoDB's spans come from its instrumentation and
 * Elasticsearch's client makes its own, so those adapters are passed through.
 */
export function tracedEventStore(tracing: Tracing, store: EventStore, esdb: boolean): EventStore {
  // Loading an aggregate (its snapshot and stream reads) is left out: up to three reads per
  // command would be most of a command's spans and of tracing's cost, for little to see. So is
  // `append`: the command handler's `append <aggregate>` span is the store's client span.
  return withSpans(tracing, store, 'event-store', ['headPosition', 'writeSnapshot'], {
    'db.system.name': esdb ? 'eventstoredb' : 'sqlite',
  });
}

export function tracedDocumentStore(
  tracing: Tracing,
  store: DocumentStore,
  mongo: boolean,
): DocumentStore {
  if (mongo) return store;
  return withSpans(
    tracing,
    store,
    'document-store',
    ['commitBatch', 'get', 'getMany', 'find', 'count'],
    { 'db.system.name': 'sqlite' },
  );
}

export function tracedSearchIndex(
  tracing: Tracing,
  index: SearchIndex,
  elasticsearch: boolean,
): SearchIndex {
  if (elasticsearch) return index;
  return withSpans(tracing, index, 'search-index', ['bulk', 'search'], {
    'db.system.name': 'sqlite',
  });
}

import type { Cache } from '../cache/port';
import type { DocumentStore } from '../document-store/port';
import type { EventStore } from '../event-store/port';
import type { IdempotencyStore } from '../idempotency/port';
import type { IntegrationPublisher } from '../integration/port';
import { aroundMethods, type AsyncMethodOf } from '../ports/around-methods';
import type { SearchIndex } from '../search-index/port';
import type { BreakerOptions, CircuitBreaker, CircuitBreakers } from './circuit-breaker';

/**
 * `target` with each of `methods` called through `breaker` (docs/resilience.md); the adapter
 * itself unchanged. No breaker (an embedded store: a local file, not a remote dependency): the
 * adapter as it is. Streaming reads (`readAll`, `readStream`, subscriptions) are not guarded:
 * their failures reach the runner's own retry, and a breaker cannot cut a stream half-way.
 */
export function guarded<T extends object>(
  breaker: CircuitBreaker | null,
  target: T,
  methods: readonly AsyncMethodOf<T>[],
): T {
  if (breaker === null) return target;
  return aroundMethods(target, methods, (_method, call) => breaker.call(() => call()));
}

/** Dependency names: the metric label and the `/readyz` key. */
export const DEPENDENCIES = {
  eventStore: 'event-store',
  documentStore: 'document-store',
  searchIndex: 'search-index',
  redis: 'redis',
  /** Idempotency keys in Redis: a breaker of their own, without the cache's short timeout. */
  idempotency: 'redis-idempotency',
  kafka: 'kafka',
} as const;

/**
 * The event store's calls through `breaker`, and each `readStream`'s opening too: loading an
 * aggregate reads its stream before the append, so without it an open breaker would not spare a
 * command the client's read deadline.
 */
export function guardedEventStore(breaker: CircuitBreaker | null, store: EventStore): EventStore {
  const calls = guarded(breaker, store, [
    'append',
    'headPosition',
    'readSnapshot',
    'writeSnapshot',
    'ping',
  ]);
  if (breaker === null) return calls;
  return new Proxy(calls, {
    get(object, property) {
      if (property !== 'readStream') return Reflect.get(object, property, object) as unknown;
      return (...args: Parameters<EventStore['readStream']>) =>
        openedThrough(breaker, object.readStream(...args));
    },
  });
}

/**
 * `events` whose first pull goes through `breaker`: an open breaker fails the read at once, and a
 * stream that cannot start counts against it. Once the stream flows it is not cut half-way.
 */
async function* openedThrough<T>(
  breaker: CircuitBreaker,
  events: AsyncIterable<T>,
): AsyncGenerator<T> {
  const iterator = events[Symbol.asyncIterator]();
  try {
    for (let next = await breaker.call(() => iterator.next()); next.done !== true;) {
      yield next.value;
      next = await iterator.next();
    }
  } finally {
    await iterator.return?.();
  }
}

export const guardedDocumentStore = (breaker: CircuitBreaker | null, store: DocumentStore) =>
  guarded(breaker, store, [
    'commitBatch',
    'get',
    'getMany',
    'find',
    'count',
    'getCheckpoint',
    'getCheckpoints',
    'ping',
  ]);

export const guardedSearchIndex = (breaker: CircuitBreaker | null, index: SearchIndex) =>
  guarded(breaker, index, ['bulk', 'search', 'aliasState', 'ping']);

export const guardedCache = (breaker: CircuitBreaker | null, cache: Cache) =>
  guarded(breaker, cache, ['get', 'set', 'setIfAbsent', 'delete', 'ping']);

export const guardedIdempotencyStore = (breaker: CircuitBreaker | null, store: IdempotencyStore) =>
  guarded(breaker, store, ['claim', 'complete', 'release', 'ping']);

export const guardedPublisher = (breaker: CircuitBreaker | null, publisher: IntegrationPublisher) =>
  guarded(breaker, publisher, ['publish', 'ping']);

/**
 * Cache calls are abandoned past this (the breaker's timeout), so a frozen Redis costs a request
 * at most this long until the breaker opens, and nothing once it is open. Abandoning is harmless
 * there: a cache miss or an unlimited request is the designed fallback.
 */
export const REDIS_CALL_TIMEOUT_MS = 250;

/**
 * How long a request whose cache call is the half-open trial waits for it (half the 20 ms query
 * p99 goal): a frozen Redis then costs one request per open period this much, not the 250 ms.
 */
export const REDIS_TRIAL_WAIT_MS = 10;

/**
 * The breaker of a remote dependency, or null when its URL (or broker list) is unset: the
 * embedded adapter is used then, a local file, no breaker.
 */
export function remoteBreaker(
  breakers: CircuitBreakers,
  url: string | readonly string[] | undefined,
  dependency: (typeof DEPENDENCIES)[keyof typeof DEPENDENCIES],
  options: BreakerOptions = {},
): CircuitBreaker | null {
  return url === undefined ? null : breakers.breaker(dependency, options);
}

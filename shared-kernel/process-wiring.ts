import type { Cache } from './cache/port';
import type { DocumentStore } from './document-store/port';
import type { EventStore } from './event-store/port';
import type { IdempotencyStore } from './idempotency/port';
import type { IntegrationPublisher } from './integration/port';
import type { Logger } from './logging/logger';
import { createMetricsRegistry, type Registry } from './metrics/registry';
import {
  createCircuitBreakers,
  type CircuitBreaker,
  type CircuitBreakers,
} from './resilience/circuit-breaker';
import type { CircuitBreakerSettings } from './resilience/config';
import {
  DEPENDENCIES,
  guardedCache,
  guardedDocumentStore,
  guardedIdempotencyStore,
  guardedEventStore,
  guardedPublisher,
  guardedSearchIndex,
  REDIS_CALL_TIMEOUT_MS,
  REDIS_TRIAL_WAIT_MS,
  remoteBreaker,
} from './resilience/guarded-ports';
import type { SearchIndex } from './search-index/port';
import type { TracingConfig } from './tracing/config';
import { processTracing, type ProcessOverrides } from './tracing/process-tracing';
import { tracedDocumentStore, tracedEventStore, tracedSearchIndex } from './tracing/traced-stores';
import type { Tracing } from './tracing/tracing';

/**
 * What every composition root puts around its adapters, made once, first in `main()`: tracing
 * (started before any client is built, so the instrumentations see them), the metrics registry,
 * the circuit breakers, and for each port its breaker (a remote dependency only: the URL is set)
 * inside its spans (a store without instrumentation only). The adapters stay as they are.
 */
export interface ProcessWiring {
  readonly tracing: Tracing;
  readonly metrics: Registry;
  readonly breakers: CircuitBreakers;
  /** Redis's one breaker (cache and rate limit), null without REDIS_URL. */
  readonly redisBreaker: CircuitBreaker | null;
  eventStore(store: EventStore): EventStore;
  documentStore(store: DocumentStore): DocumentStore;
  searchIndex(index: SearchIndex): SearchIndex;
  cache(cache: Cache): Cache;
  /** Idempotency keys: guarded when they live in Redis, with no call timeout of the breaker's. */
  idempotency(store: IdempotencyStore): IdempotencyStore;
  publisher(publisher: IntegrationPublisher): IntegrationPublisher;
  /** Exports the spans still buffered (of tracing this process started). */
  shutdown(): Promise<void>;
}

/** The server URLs that make a dependency remote; unset means its embedded adapter. */
export interface RemoteUrls {
  esdbUrl?: string | undefined;
  mongoUrl?: string | undefined;
  elasticsearchUrl?: string | undefined;
  redisUrl?: string | undefined;
  kafkaBrokers?: string[] | undefined;
}

export function wireProcess(
  config: TracingConfig & CircuitBreakerSettings & RemoteUrls,
  options: { service: string; logger: Logger },
  overrides: ProcessOverrides = {},
): ProcessWiring {
  const traces = processTracing(config, options, overrides);
  const { tracing } = traces;
  const metrics = createMetricsRegistry();
  const breakers = createCircuitBreakers({
    settings: config,
    registry: metrics,
    logger: options.logger,
  });
  const redisBreaker = remoteBreaker(breakers, config.redisUrl, DEPENDENCIES.redis, {
    timeoutMs: REDIS_CALL_TIMEOUT_MS,
    trialWaitMs: REDIS_TRIAL_WAIT_MS,
  });
  const breakerOf = (
    url: RemoteUrls[keyof RemoteUrls],
    dependency: (typeof DEPENDENCIES)[keyof typeof DEPENDENCIES],
  ) => remoteBreaker(breakers, url, dependency);
  const { esdbUrl, mongoUrl, elasticsearchUrl } = config;
  return {
    tracing,
    metrics,
    breakers,
    redisBreaker,
    eventStore: (store) =>
      tracedEventStore(
        tracing,
        guardedEventStore(breakerOf(esdbUrl, DEPENDENCIES.eventStore), store),
        esdbUrl !== undefined,
      ),
    documentStore: (store) =>
      tracedDocumentStore(
        tracing,
        guardedDocumentStore(breakerOf(mongoUrl, DEPENDENCIES.documentStore), store),
        mongoUrl !== undefined,
      ),
    searchIndex: (index) =>
      tracedSearchIndex(
        tracing,
        guardedSearchIndex(breakerOf(elasticsearchUrl, DEPENDENCIES.searchIndex), index),
        elasticsearchUrl !== undefined,
      ),
    cache: (cache) => guardedCache(redisBreaker, cache),
    idempotency: (store) =>
      guardedIdempotencyStore(breakerOf(config.redisUrl, DEPENDENCIES.idempotency), store),
    publisher: (publisher) =>
      guardedPublisher(breakerOf(config.kafkaBrokers, DEPENDENCIES.kafka), publisher),
    shutdown: () => traces.shutdown(),
  };
}

import type { Express } from 'express';
import type { Cache } from '../shared-kernel/cache/port';
import type { DocumentStore } from '../shared-kernel/document-store/port';
import { createApiApp } from '../shared-kernel/http/api-app';
import type { AccessOptions } from '../shared-kernel/http/auth/guards';
import type { Logger } from '../shared-kernel/logging/logger';
import { queryCacheCounters } from '../shared-kernel/metrics/cache-metrics';
import { createMetricsRegistry, type Registry } from '../shared-kernel/metrics/registry';
import type { SearchIndex } from '../shared-kernel/search-index/port';
import { auditQueryRoutes } from './audit/routes';
import { createQueryCache } from './cache/query-cache';
import { catalogQueryRoutes } from './catalog/routes';
import type { CheckpointWatcher } from './consistency/checkpoint-watcher';
import { QUERY_RULE_SCHEMAS } from './http/param-rules';
import type { QueryRouteDeps } from './http/read-route';
import { inventoryQueryRoutes } from './inventory/routes';
import { orderQueryRoutes } from './orders/routes';
import { queryApiReadiness } from './readiness';
import type { CircuitBreakers } from '../shared-kernel/resilience/circuit-breaker';
import type { Tracing } from '../shared-kernel/tracing/tracing';

export interface QueryAppDeps {
  documents: DocumentStore;
  search: SearchIndex;
  cache: Cache;
  watcher: CheckpointWatcher;
  logger: Logger;
  cacheTtlMs: number;
  minPositionWaitMs: number;
  /** The process's registry (main.ts makes it); an app made without one counts on its own. */
  metrics?: Registry;
  /** Tokens, rate limit, timeout (main.ts decides); open and unlimited when absent. */
  access?: AccessOptions;
  /** The process's circuit breakers, shown by `/readyz`. */
  breakers?: CircuitBreakers;
  /** The process's tracing (off when absent). */
  tracing?: Tracing;
}

/** The query API as an Express app; the caller decides where (and whether) it listens. */
export function createQueryApp(deps: QueryAppDeps): Express {
  const registry = deps.metrics ?? createMetricsRegistry();
  const routeDeps: QueryRouteDeps = {
    documents: deps.documents,
    search: deps.search,
    cache: createQueryCache({
      cache: deps.cache,
      ttlMs: deps.cacheTtlMs,
      logger: deps.logger,
      counters: queryCacheCounters(registry),
      generation: deps.watcher.generation,
    }),
    consistency: { watcher: deps.watcher, waitMs: deps.minPositionWaitMs },
  };
  return createApiApp({
    routes: [
      ...catalogQueryRoutes(routeDeps),
      ...inventoryQueryRoutes(routeDeps),
      ...orderQueryRoutes(routeDeps),
      ...auditQueryRoutes(routeDeps),
    ],
    openApi: { title: 'Strata query API', version: '1', rules: QUERY_RULE_SCHEMAS },
    ready: queryApiReadiness(deps),
    registry,
    logger: deps.logger,
    access: deps.access,
    tracing: deps.tracing,
  });
}

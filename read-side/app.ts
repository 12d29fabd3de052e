import express, { type Express } from 'express';
import type { Cache } from '../shared-kernel/cache/port';
import type { DocumentStore } from '../shared-kernel/document-store/port';
import { createApiApp } from '../shared-kernel/http/api-app';
import type { AccessOptions } from '../shared-kernel/http/auth/guards';
import { queryApiPolicies } from '../shared-kernel/http/auth/query-api-policies';
import type { Logger } from '../shared-kernel/logging/logger';
import { queryCacheCounters } from '../shared-kernel/metrics/cache-metrics';
import { createMetricsRegistry, type Registry } from '../shared-kernel/metrics/registry';
import type { SearchIndex } from '../shared-kernel/search-index/port';
import { auditRoutes } from './audit/routes';
import { createQueryCache } from './cache/query-cache';
import { catalogRoutes } from './catalog/routes';
import type { CheckpointWatcher } from './consistency/checkpoint-watcher';
import { openApiRoute } from './openapi';
import { operationsRoutes } from './readiness';
import { orderRoutes } from './orders/routes';

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
}

/** The query API as an Express app; the caller decides where (and whether) it listens. */
export function createQueryApp(deps: QueryAppDeps): Express {
  const registry = deps.metrics ?? createMetricsRegistry();
  const routeDeps = {
    documents: deps.documents,
    search: deps.search,
    cache: createQueryCache({
      cache: deps.cache,
      ttlMs: deps.cacheTtlMs,
      logger: deps.logger,
      counters: queryCacheCounters(registry),
    }),
    consistency: { watcher: deps.watcher, waitMs: deps.minPositionWaitMs },
  };
  const router = express.Router({ strict: false, caseSensitive: true });
  operationsRoutes(router, deps, registry);
  catalogRoutes(router, routeDeps);
  orderRoutes(router, routeDeps);
  auditRoutes(router, routeDeps);
  openApiRoute(router);
  return createApiApp({
    router,
    policies: queryApiPolicies(),
    registry,
    logger: deps.logger,
    access: deps.access,
  });
}

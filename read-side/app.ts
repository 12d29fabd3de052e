import express, { type Express } from 'express';
import type { Cache } from '../shared-kernel/cache/port';
import type { DocumentStore } from '../shared-kernel/document-store/port';
import { httpGuards, OPEN_ACCESS, type AccessOptions } from '../shared-kernel/http/auth/guards';
import { queryApiPolicies } from '../shared-kernel/http/auth/query-api-policies';
import { correlation } from '../shared-kernel/http/correlation';
import { problemErrorHandler, unknownRoute } from '../shared-kernel/http/error-handling';
import type { Logger } from '../shared-kernel/logging/logger';
import { queryCacheCounters } from '../shared-kernel/metrics/cache-metrics';
import { httpMetrics } from '../shared-kernel/metrics/http-metrics';
import { createMetricsRegistry, type Registry } from '../shared-kernel/metrics/registry';
import type { SearchIndex } from '../shared-kernel/search-index/port';
import { auditRoutes } from './audit/routes';
import { createQueryCache } from './cache/query-cache';
import { catalogRoutes } from './catalog/routes';
import type { CheckpointWatcher } from './consistency/checkpoint-watcher';
import { openApiRoute } from './openapi';
import { operationsRoutes } from './operations';
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
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // Flat `key=value` pairs only: `a[b]=c` stays a key named "a[b]", refused by name later.
  app.set('query parser', 'simple');
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
  const guards = httpGuards({
    ...(deps.access ?? OPEN_ACCESS),
    policies: queryApiPolicies(),
    logger: deps.logger,
  });
  app.use(
    ...guards.outer,
    httpMetrics(registry),
    correlation(),
    ...guards.identify,
    guards.authorize,
    router,
    unknownRoute,
  );
  app.use(problemErrorHandler(deps.logger));
  return app;
}

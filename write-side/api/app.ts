import express, { type Express } from 'express';
import type { Cache } from '../../shared-kernel/cache/port';
import type { EventStore } from '../../shared-kernel/event-store/port';
import { commandApiPolicies } from '../../shared-kernel/http/auth/command-api-policies';
import { httpGuards, OPEN_ACCESS, type AccessOptions } from '../../shared-kernel/http/auth/guards';
import { correlation } from '../../shared-kernel/http/correlation';
import { problemErrorHandler, unknownRoute } from '../../shared-kernel/http/error-handling';
import { jsonBody } from '../../shared-kernel/http/json-body';
import { newId } from '../../shared-kernel/ids';
import type { Logger } from '../../shared-kernel/logging/logger';
import {
  countingCommands,
  countingIdempotencyReplays,
} from '../../shared-kernel/metrics/command-metrics';
import { httpMetrics } from '../../shared-kernel/metrics/http-metrics';
import { createMetricsRegistry, type Registry } from '../../shared-kernel/metrics/registry';
import type { DispatchCommand } from '../command-handling/dispatch';
import { openApiRoute } from './openapi';
import { operationsRoutes } from './operations';
import { inventoryRoutes } from './routes/inventory';
import { orderRoutes } from './routes/orders';
import { productRoutes } from './routes/products';

export interface CommandAppDeps {
  dispatch: DispatchCommand;
  store: EventStore;
  cache: Cache;
  logger: Logger;
  bodyLimitBytes: number;
  clock?: () => Date;
  newId?: () => string;
  /** Tokens, rate limit, timeout (main.ts decides); open and unlimited when absent. */
  access?: AccessOptions;
  /** The process's registry (main.ts makes it); an app made without one counts on its own. */
  metrics?: Registry;
}

/** The command API as an Express app; the caller decides where (and whether) it listens. */
export function createCommandApp(deps: CommandAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  const registry = deps.metrics ?? createMetricsRegistry();
  const routeDeps = {
    dispatch: countingCommands(deps.dispatch, registry),
    cache: deps.cache,
    logger: deps.logger,
    clock: deps.clock ?? (() => new Date()),
    newId: deps.newId ?? newId,
  };
  const router = express.Router({ strict: false, caseSensitive: true });
  // Commands first: the router tries paths in order, and they are the traffic.
  productRoutes(router, routeDeps);
  inventoryRoutes(router, routeDeps);
  orderRoutes(router, routeDeps);
  operationsRoutes(router, deps, registry);
  openApiRoute(router);
  const guards = httpGuards({
    ...(deps.access ?? OPEN_ACCESS),
    policies: commandApiPolicies(deps.store),
    logger: deps.logger,
  });
  app.use(
    ...guards.outer,
    httpMetrics(registry),
    countingIdempotencyReplays(registry),
    correlation(),
    ...guards.identify,
    ...jsonBody(deps.bodyLimitBytes),
    guards.authorize,
    router,
    unknownRoute,
  );
  app.use(problemErrorHandler(deps.logger));
  return app;
}

import express, { type Express } from 'express';
import type { Cache } from '../../shared-kernel/cache/port';
import type { EventStore } from '../../shared-kernel/event-store/port';
import { commandApiPolicies } from '../../shared-kernel/http/auth/command-api-policies';
import { createApiApp } from '../../shared-kernel/http/api-app';
import type { AccessOptions } from '../../shared-kernel/http/auth/guards';
import { jsonBody } from '../../shared-kernel/http/json-body';
import { newId } from '../../shared-kernel/ids';
import type { Logger } from '../../shared-kernel/logging/logger';
import {
  countingCommands,
  countingIdempotencyReplays,
} from '../../shared-kernel/metrics/command-metrics';
import { createMetricsRegistry, type Registry } from '../../shared-kernel/metrics/registry';
import type { DispatchCommand } from '../command-handling/dispatch';
import { openApiRoute } from './openapi';
import { operationsRoutes } from './readiness';
import { inventoryRoutes } from './inventory/routes';
import { orderRoutes } from './orders/routes';
import { productRoutes } from './catalog/routes';

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
  return createApiApp({
    router,
    policies: commandApiPolicies(deps.store),
    registry,
    logger: deps.logger,
    access: deps.access,
    counters: [countingIdempotencyReplays(registry)],
    body: jsonBody(deps.bodyLimitBytes),
  });
}

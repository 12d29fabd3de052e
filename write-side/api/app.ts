import type { Express } from 'express';
import type { EventStore } from '../../shared-kernel/event-store/port';
import type { IdempotencyStore } from '../../shared-kernel/idempotency/port';
import { createApiApp } from '../../shared-kernel/http/api-app';
import type { AccessOptions } from '../../shared-kernel/http/auth/guards';
import { jsonBody } from '../../shared-kernel/http/json-body';
import { newId } from '../../shared-kernel/ids';
import type { Logger } from '../../shared-kernel/logging/logger';
import {
  countingCommands,
  countingIdempotencyReplays,
  countingIdempotencyStore,
} from '../../shared-kernel/metrics/command-metrics';
import { createMetricsRegistry, type Registry } from '../../shared-kernel/metrics/registry';
import type { CircuitBreakers } from '../../shared-kernel/resilience/circuit-breaker';
import type { Tracing } from '../../shared-kernel/tracing/tracing';
import type { DispatchCommand } from '../command-handling/dispatch';
import { catalogCommandRoutes } from './catalog/routes';
import type { CommandRouteDeps } from './command-route';
import { inventoryCommandRoutes } from './inventory/routes';
import { orderCommandRoutes } from './orders/routes';
import { commandApiReadiness } from './readiness';

export interface CommandAppDeps {
  dispatch: DispatchCommand;
  store: EventStore;
  /** Where Idempotency-Key records live (Redis or the embedded SQLite file). */
  idempotency: IdempotencyStore;
  logger: Logger;
  bodyLimitBytes: number;
  clock?: () => Date;
  newId?: () => string;
  /** Tokens, rate limit, timeout (main.ts decides); open and unlimited when absent. */
  access?: AccessOptions;
  /** The process's registry (main.ts makes it); an app made without one counts on its own. */
  metrics?: Registry;
  /** The process's circuit breakers, shown by `/readyz`. */
  breakers?: CircuitBreakers;
  /** The process's tracing (off when absent). */
  tracing?: Tracing;
}

/** The command API as an Express app; the caller decides where (and whether) it listens. */
export function createCommandApp(deps: CommandAppDeps): Express {
  const registry = deps.metrics ?? createMetricsRegistry();
  const idempotency = countingIdempotencyStore(deps.idempotency, registry);
  const routeDeps: CommandRouteDeps = {
    dispatch: countingCommands(deps.dispatch, registry),
    store: deps.store,
    idempotency,
    logger: deps.logger,
    clock: deps.clock ?? (() => new Date()),
    newId: deps.newId ?? newId,
  };
  return createApiApp({
    routes: [
      ...catalogCommandRoutes(routeDeps),
      ...inventoryCommandRoutes(routeDeps),
      ...orderCommandRoutes(routeDeps),
    ],
    openApi: { title: 'Strata command API', version: '1' },
    ready: commandApiReadiness({ store: deps.store, idempotency, breakers: deps.breakers }),
    registry,
    logger: deps.logger,
    access: deps.access,
    tracing: deps.tracing,
    counters: [countingIdempotencyReplays(registry)],
    body: jsonBody(deps.bodyLimitBytes),
  });
}

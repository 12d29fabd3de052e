import type { RequestHandler, Router } from 'express';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { Cache } from '../../shared-kernel/cache/port';
import type { EventStore } from '../../shared-kernel/event-store/port';
import { UnavailableError } from '../../shared-kernel/errors';
import { route } from '../../shared-kernel/http/error-handling';

export interface OperationsDeps {
  store: EventStore;
  cache: Cache;
}

/** Per app, not global: two apps in one process (tests) must not share counters. */
export function createMetrics(): { registry: Registry; observe: RequestHandler } {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'strata_command_http_request_duration_seconds',
    help: 'Command API request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });
  const observe: RequestHandler = (request, response, next) => {
    const stop = duration.startTimer();
    response.once('finish', () => {
      const path = (request.route as { path?: string } | undefined)?.path ?? 'unmatched';
      stop({ method: request.method, route: path, status: String(response.statusCode) });
    });
    next();
  };
  return { registry, observe };
}

/** `/livez`, `/readyz` (each store named when it fails) and `/metrics`. */
export function operationsRoutes(router: Router, deps: OperationsDeps, registry: Registry): void {
  route(router, '/livez', { get: [(_request, response) => void response.json({ status: 'up' })] });
  route(router, '/readyz', {
    get: [
      async (_request, response) => {
        const checks = { eventStore: deps.store.ping(), cache: deps.cache.ping() };
        const failed: string[] = [];
        for (const [name, check] of Object.entries(checks)) {
          await check.catch(() => failed.push(name));
        }
        if (failed.length > 0)
          throw new UnavailableError(`not ready: ${failed.join(', ')} unreachable`);
        response.json({ status: 'ready' });
      },
    ],
  });
  route(router, '/metrics', {
    get: [
      async (_request, response) => {
        response.type(registry.contentType).send(await registry.metrics());
      },
    ],
  });
}

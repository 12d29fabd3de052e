import type { Router } from 'express';
import type { Registry } from 'prom-client';
import type { Cache } from '../../shared-kernel/cache/port';
import type { EventStore } from '../../shared-kernel/event-store/port';
import { UnavailableError } from '../../shared-kernel/errors';
import { route } from '../../shared-kernel/http/error-handling';
import { metricsHandler } from '../../shared-kernel/metrics/registry';

export interface OperationsDeps {
  store: EventStore;
  cache: Cache;
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
  route(router, '/metrics', { get: [metricsHandler(registry)] });
}

import express, { type Express } from 'express';
import { problemErrorHandler, unknownRoute } from '../shared-kernel/http/error-handling';
import { LIVE } from '../shared-kernel/http/operational-routes';
import type { Logger } from '../shared-kernel/logging/logger';
import { metricsHandler, type Registry } from '../shared-kernel/metrics/registry';
import type { StoreIdentity } from './store-identity';
import type { CircuitBreakers } from '../shared-kernel/resilience/circuit-breaker';
import { breakersDetail, notClosedBreakers } from '../shared-kernel/resilience/readiness-detail';
import type { Worker } from './worker';
import { readiness } from './worker';

export interface HealthDeps {
  worker: Worker;
  /** Every store the worker uses, by name, for `/readyz`. */
  pings: Record<string, () => Promise<void>>;
  bounds: { heartbeatMs: number; maxLagSeconds: number };
  /** The worker process's registry, served at `/metrics`. */
  metrics?: Registry;
  /** The stores the worker serves, in `/status`: the CLI refuses figures of other stores. */
  stores: StoreIdentity;
  logger: Logger;
  /** The worker's circuit breakers, whose states `/readyz` shows. */
  breakers?: CircuitBreakers;
}

/** The worker's small HTTP face: liveness, readiness and processor status for operators. */
export function createHealthApp(deps: HealthDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/livez', (_req, res) => {
    res.json(LIVE);
  });
  app.get('/readyz', async (_req, res) => {
    const problems: string[] = [];
    for (const [name, ping] of Object.entries(deps.pings)) {
      await ping().catch((error: unknown) => problems.push(`${name}: ${String(error)}`));
    }
    problems.push(...readiness(deps.worker.statuses(), deps.bounds, new Date()).problems);
    if (problems.length === 0) {
      res.json({ status: 'ready', ...breakersDetail(deps.breakers) });
      return;
    }
    res
      .status(503)
      .type('application/problem+json')
      .json({
        type: 'not-ready',
        title: 'The worker is not ready',
        status: 503,
        detail: problems.join('; ') + notClosedBreakers(deps.breakers),
        ...breakersDetail(deps.breakers),
      });
  });
  app.get('/status', async (_req, res) => {
    res.json({ stores: deps.stores, ...(await deps.worker.report()) });
  });
  if (deps.metrics) app.get('/metrics', metricsHandler(deps.metrics));
  // As on the APIs: an unknown path, or a failing /status, is problem+json, not an HTML page.
  app.use(unknownRoute);
  app.use(problemErrorHandler(deps.logger));
  return app;
}

import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Registry } from 'prom-client';

export type { Registry } from 'prom-client';

/**
 * A process's one registry, with Node's process metrics (CPU, memory, event-loop lag, GC).
 * Made by the composition root and passed down; never a module-level default, so two apps in
 * one test process keep separate counts.
 */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** `GET /metrics`: the Prometheus text exposition of `registry`. */
export function metricsHandler(registry: Registry): RequestHandler {
  return async (_request, response) => {
    response.type(registry.contentType).send(await registry.metrics());
  };
}

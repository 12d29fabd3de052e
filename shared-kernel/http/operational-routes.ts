import { metricsHandler, type Registry } from '../metrics/registry';
import type { RouteSpec } from './routes';

/** `/readyz`'s answer when every store it depends on answers; throws UnavailableError if not. */
export type ReadinessCheck = () => Promise<Record<string, unknown>>;

const ANSWER = { status: 200, schema: { type: 'object' } };

/** `/livez`'s body, the same from every process (the worker's health app too). */
export const LIVE = { status: 'up' } as const;

/**
 * The probes and metrics every process serves, open to anyone: `/livez` (the process answers),
 * `/readyz` (its stores answer too: a 503 names each one that does not) and `/metrics`.
 */
export function operationalRoutes(ready: ReadinessCheck, registry: Registry): RouteSpec[] {
  const access = { kind: 'public' } as const;
  return [
    {
      method: 'get',
      path: '/livez',
      summary: 'Liveness: the process answers',
      access,
      success: ANSWER,
      handler: (_request, response) => void response.json(LIVE),
    },
    {
      method: 'get',
      path: '/readyz',
      summary: 'Readiness: a 503 names each store that does not answer',
      access,
      success: ANSWER,
      handler: async (_request, response) => void response.json(await ready()),
    },
    {
      method: 'get',
      path: '/metrics',
      summary: 'Prometheus text exposition',
      access,
      success: { status: 200, schema: { type: 'string' } },
      handler: metricsHandler(registry),
    },
  ];
}

import { performance } from 'node:perf_hooks';
import type { Request, RequestHandler } from 'express';
import { Histogram, type Registry } from 'prom-client';

/** Wide enough for a cached read (sub-millisecond) and a slow search or a waiting query. */
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * Request duration by method, ROUTE TEMPLATE and status. The template (`/products/:id`), never
 * the raw URL: one series per id would grow without bound and swamp Prometheus. A request no
 * route matched is labelled `unmatched`.
 */
export function httpMetrics(registry: Registry): RequestHandler {
  const duration = new Histogram({
    name: 'strata_http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: BUCKETS,
    registers: [registry],
  });
  // One child per series, kept: prom-client's timer copies and checks the labels per request.
  // Bounded as the series are: Node's parser admits a fixed set of methods.
  const series = new Map<string, { observe(seconds: number): void }>();
  return (request, response, next) => {
    const started = performance.now();
    response.once('finish', () => {
      const route = routeTemplate(request);
      const key = `${request.method} ${response.statusCode} ${route}`;
      let child = series.get(key);
      if (child === undefined) {
        child = duration.labels({ method: request.method, route, status: response.statusCode });
        series.set(key, child);
      }
      child.observe((performance.now() - started) / 1000);
    });
    next();
  };
}

export function routeTemplate(request: Request): string {
  const path = (request.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? `${request.baseUrl}${path}` : 'unmatched';
}

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
  return (request, response, next) => {
    const stop = duration.startTimer();
    response.once('finish', () => {
      stop({ method: request.method, route: routeTemplate(request), status: response.statusCode });
    });
    next();
  };
}

export function routeTemplate(request: Request): string {
  const path = (request.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? `${request.baseUrl}${path}` : 'unmatched';
}

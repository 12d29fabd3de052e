import express, { type Express, type RequestHandler } from 'express';
import type { Logger } from '../logging/logger';
import { httpMetrics } from '../metrics/http-metrics';
import type { Registry } from '../metrics/registry';
import { requestSpans } from '../tracing/request-span';
import { TRACING_OFF, type Tracing } from '../tracing/tracing';
import { httpGuards, OPEN_ACCESS, type AccessOptions } from './auth/guards';
import { correlation } from './correlation';
import { problemErrorHandler, unknownRoute } from './error-handling';
import { openApiRoute, type OpenApiInfo } from './openapi';
import { wellFormedPath } from './path-params';
import { operationalRoutes, type ReadinessCheck } from './operational-routes';
import { middlewareChain } from './middleware-chain';
import { mountRoutes, type RouteSpec } from './routes';

export interface ApiAppParts {
  /** The API's own routes; the probes, `/metrics` and `/openapi.json` are added to them. */
  routes: readonly RouteSpec[];
  openApi: OpenApiInfo;
  ready: ReadinessCheck;
  registry: Registry;
  logger: Logger;
  /** Tokens, rate limit, timeout; open and unlimited when absent. */
  access?: AccessOptions | undefined;
  /** Counters that must see every response, mounted right after the HTTP metrics. */
  counters?: RequestHandler[];
  /** Body parsing: after identification (a 401 costs no parsing), before authorization. */
  body?: RequestHandler[];
  /** The process's tracing: each request's server span starts first in the chain. */
  tracing?: Tracing | undefined;
}

/**
 * An API app: the stack both APIs share around their routes, in the order the guards need
 * (security and timeout, metrics, correlation, a decodable path, identification, body,
 * authorization, routes, then the 404 for unknown paths and the problem-document error
 * handler). The router, the
 * access policy and the OpenAPI document all come from the one list of route specs, and the
 * app is not built when a route lacks an access rule.
 */
export function createApiApp(parts: ApiAppParts): Express {
  // The API's routes first: the router tries paths in order, and they are the traffic.
  const routes = [...parts.routes, ...operationalRoutes(parts.ready, parts.registry)];
  routes.push(openApiRoute(parts.openApi, routes));
  const router = express.Router({ strict: false, caseSensitive: true });
  mountRoutes(router, routes);

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // Flat `key=value` pairs only: `a[b]=c` stays a key named "a[b]", refused by name later.
  app.set('query parser', 'simple');
  const serverSpan = requestSpans(parts.tracing ?? TRACING_OFF);
  const guards = httpGuards({ ...(parts.access ?? OPEN_ACCESS), routes, logger: parts.logger });
  app.use(
    middlewareChain([
      ...(serverSpan ? [serverSpan] : []),
      ...guards.outer,
      httpMetrics(parts.registry),
      ...(parts.counters ?? []),
      correlation(),
      wellFormedPath,
      ...guards.identify,
      ...(parts.body ?? []),
      guards.authorize,
    ]),
    router,
    unknownRoute,
  );
  app.use(problemErrorHandler(parts.logger));
  return app;
}

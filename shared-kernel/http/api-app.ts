import express, { type Express, type RequestHandler, type Router } from 'express';
import type { Logger } from '../logging/logger';
import { httpMetrics } from '../metrics/http-metrics';
import type { Registry } from '../metrics/registry';
import { httpGuards, OPEN_ACCESS, type AccessOptions } from './auth/guards';
import type { RoutePolicy } from './auth/policy';
import { correlation } from './correlation';
import { problemErrorHandler, unknownRoute } from './error-handling';

export interface ApiAppParts {
  router: Router;
  policies: readonly RoutePolicy[];
  registry: Registry;
  logger: Logger;
  /** Tokens, rate limit, timeout; open and unlimited when absent. */
  access?: AccessOptions | undefined;
  /** Counters that must see every response, mounted right after the HTTP metrics. */
  counters?: RequestHandler[];
  /** Body parsing: after identification (a 401 costs no parsing), before authorization. */
  body?: RequestHandler[];
}

/**
 * An API app: the stack both APIs share around their routes, in the order the guards need
 * (security and timeout, metrics, correlation, identification, body, authorization, routes,
 * then the 404 for unknown paths and the problem-document error handler).
 */
export function createApiApp(parts: ApiAppParts): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // Flat `key=value` pairs only: `a[b]=c` stays a key named "a[b]", refused by name later.
  app.set('query parser', 'simple');
  const guards = httpGuards({
    ...(parts.access ?? OPEN_ACCESS),
    policies: parts.policies,
    logger: parts.logger,
  });
  app.use(
    ...guards.outer,
    httpMetrics(parts.registry),
    ...(parts.counters ?? []),
    correlation(),
    ...guards.identify,
    ...(parts.body ?? []),
    guards.authorize,
    parts.router,
    unknownRoute,
  );
  app.use(problemErrorHandler(parts.logger));
  return app;
}

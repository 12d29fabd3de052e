import type { RequestHandler } from 'express';
import type { Store } from 'express-rate-limit';
import type { Logger } from '../../logging/logger';
import { rateLimiter } from '../limits/rate-limit';
import { requestTimeout, securityHeaders } from '../limits/http-limits';
import { authenticate, dropActorHeader, requireCaller } from './authenticate';
import { authorize, policyLookup, type PolicyLookup, type RoutePolicy } from './policy';
import type { TokenVerifier } from './verifier';

/** Verified tokens, or open (actor from `X-Actor`). */
export type Authentication = { mode: 'open' } | { mode: 'token'; verify: TokenVerifier };

/** What a composition root decides about access; each route says who may call it. */
export interface AccessOptions {
  authentication: Authentication;
  rateLimitPerMinute: number;
  rateLimitStore?: Store;
  requestTimeoutMs: number;
}

/** Open, unlimited, default timeout: what an app gets when its caller says nothing. */
export const OPEN_ACCESS: AccessOptions = {
  authentication: { mode: 'open' },
  rateLimitPerMinute: 0,
  requestTimeoutMs: 10_000,
};

export const AUTH_OFF_WARNING = 'authentication is off';

/** The middleware an app mounts around its routes, by stage. */
export interface HttpGuards {
  /** Before the correlation middleware: headers, the timeout, and dropping `X-Actor` under tokens. */
  outer: RequestHandler[];
  /** After correlation, before the body is parsed: who is calling, the rate limit, 401s. */
  identify: RequestHandler[];
  /** After the body is parsed, before the routes: may this caller do this. */
  authorize: RequestHandler;
  /** Said at start-up and on `/readyz`. */
  warnings: string[];
}

export function httpGuards(
  options: AccessOptions & { routes: readonly RoutePolicy[]; logger: Logger },
): HttpGuards {
  const lookup = policyLookup(options.routes);
  const tokens = options.authentication.mode === 'token' ? options.authentication : null;
  const warnings = tokens
    ? []
    : [`${AUTH_OFF_WARNING}: no STRATA_JWT_* key is configured, so every route is open`];
  const limiter = rateLimiter({
    perMinute: options.rateLimitPerMinute,
    logger: options.logger,
    ...(options.rateLimitStore && { store: options.rateLimitStore }),
  });
  const outer: RequestHandler[] = [
    securityHeaders(),
    requestTimeout(options.requestTimeoutMs, options.logger),
  ];
  if (warnings.length > 0) outer.push(readinessWarnings(warnings));
  if (tokens) outer.push(dropActorHeader);
  const identify: RequestHandler[] = [markPublicRoutes(lookup)];
  if (tokens) identify.push(authenticate(tokens.verify, options.logger));
  if (limiter) identify.push(limiter);
  if (tokens) identify.push(requireCaller);
  return { outer, identify, authorize: authorize(lookup), warnings };
}

function markPublicRoutes(lookup: PolicyLookup): RequestHandler {
  return (request, response, next) => {
    if (lookup(request).kind === 'public') response.locals.publicRoute = true;
    next();
  };
}

/**
 * Adds `warnings` to the `/readyz` answer, so a probe or an operator sees a degraded setup
 * (authentication off) without reading the start-up log. Ready stays ready: it is a choice,
 * not a fault.
 */
export function readinessWarnings(warnings: readonly string[]): RequestHandler {
  return (request, response, next) => {
    if (request.path !== '/readyz') return next();
    const json = response.json.bind(response);
    response.json = (body: unknown) =>
      json(
        typeof body === 'object' && body !== null && !Array.isArray(body)
          ? { ...body, warnings }
          : body,
      );
    next();
  };
}

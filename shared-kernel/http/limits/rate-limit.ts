import type { RequestHandler } from 'express';
import { rateLimit, type Store } from 'express-rate-limit';
import { TooManyRequestsError } from '../../errors';
import type { Logger } from '../../logging/logger';
import { callerOf } from '../auth/caller';

export interface RateLimitOptions {
  perMinute: number;
  /** Shared counters (Redis) so every instance counts together; memory per process when absent. */
  store?: Store;
  logger: Logger;
}

const WINDOW_MS = 60_000;

/**
 * At most `perMinute` requests per caller and minute: per token subject once authenticated,
 * per IP (IPv6 by /56) when the API runs open or the token was refused. Probes and metrics
 * are not counted. A store that fails lets the request through: losing the limit for a while
 * is better than refusing every request while Redis is away. Null when the limit is 0 (off).
 */
export function rateLimiter(options: RateLimitOptions): RequestHandler | null {
  if (options.perMinute === 0) return null;
  return rateLimit({
    windowMs: WINDOW_MS,
    limit: options.perMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    ...(options.store && { store: options.store }),
    passOnStoreError: true,
    // The store wrapper logs outages once; the library would log every request.
    logger: {
      error: (error) => options.logger.debug('rate limit store error', { error: String(error) }),
      warn: (error) => options.logger.warn('rate limiter', { warning: String(error) }),
    },
    skip: (_request, response) => response.locals.publicRoute === true,
    keyGenerator: callerOf,
    handler: (request, _response, next) => {
      const info = (request as { rateLimit?: { resetTime?: Date } }).rateLimit;
      const seconds = info?.resetTime ? (info.resetTime.getTime() - Date.now()) / 1000 : 60;
      next(
        new TooManyRequestsError(
          `more than ${options.perMinute} requests in a minute; retry after the Retry-After delay`,
          seconds,
        ),
      );
    },
  });
}

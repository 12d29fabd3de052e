import type { ConfigOf } from '../../config/env';
import type { Logger } from '../../logging/logger';
import { limitsConfig } from '../limits/http-limits';
import { openRedisRateLimitStore } from '../limits/redis-store';
import type { CircuitBreaker } from '../../resilience/circuit-breaker';
import { guarded } from '../../resilience/guarded-ports';
import { authConfig, authSettings, type AuthSettings } from './config';
import { AUTH_OFF_WARNING, type AccessOptions, type Authentication } from './guards';
import { openTokenVerifier } from './verifier';

/** The variables of authentication and request limits, for a composition root's spec. */
export const accessConfig = { ...authConfig, ...limitsConfig };

export interface OpenedAccess {
  options: AccessOptions;
  close(): Promise<void>;
}

/**
 * For a composition root: checks the auth variables together (a bad combination stops
 * start-up), builds the verifier, and the Redis rate-limit store when REDIS_URL is set. Says
 * once, at start, when authentication is off.
 */
export async function openAccess(params: {
  config: ConfigOf<typeof accessConfig>;
  redisUrl: string | undefined;
  logger: Logger;
  /** Each API counts its own requests: `strata:ratelimit:command:` and so on. */
  rateLimitPrefix: string;
  /** Redis's circuit breaker (shared with the cache): an open one lets requests pass at once. */
  redisBreaker?: CircuitBreaker | null;
}): Promise<OpenedAccess> {
  const { config, logger } = params;
  const authentication = await openAuthentication(authSettings(config));
  if (authentication.mode === 'open') {
    logger.warn(
      `${AUTH_OFF_WARNING}: no STRATA_JWT_* key is configured, so every route is open and the actor is taken from X-Actor`,
    );
  }
  const limited = config.rateLimitPerMinute > 0 && params.redisUrl !== undefined;
  const redis = limited
    ? openRedisRateLimitStore({
        url: params.redisUrl as string,
        logger,
        prefix: params.rateLimitPrefix,
      })
    : null;
  return {
    options: {
      authentication,
      rateLimitPerMinute: config.rateLimitPerMinute,
      requestTimeoutMs: config.requestTimeoutMs,
      ...(redis && {
        rateLimitStore: guarded(params.redisBreaker ?? null, redis.store, [
          'increment',
          'get',
          'decrement',
          'resetKey',
        ]),
      }),
    },
    close: async () => redis?.close(),
  };
}

/** Builds the verifier (importing a PEM key, or preparing the JWKS fetcher) once, at start-up. */
export async function openAuthentication(settings: AuthSettings): Promise<Authentication> {
  if (settings.mode === 'open') return { mode: 'open' };
  return { mode: 'token', verify: await openTokenVerifier(settings) };
}

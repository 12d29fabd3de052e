import { integerVar, urlVar, type ConfigOf } from '../config/env';
import type { Logger } from '../logging/logger';
import { openLruCache } from './lru-cache';
import type { Cache } from './port';
import { openRedisCache } from './redis-cache';

/** The variable that selects Redis for the cache (idempotency keys, query answers). */
export const cacheConfig = {
  redisUrl: urlVar('REDIS_URL', ['redis:', 'rediss:']),
  redisTimeoutMs: integerVar('REDIS_TIMEOUT_MS', 3000, { min: 50, max: 60_000 }),
};

export type CacheConfig = ConfigOf<typeof cacheConfig>;

/**
 * The one place a process picks its cache: Redis when REDIS_URL is set, shared by every
 * instance; otherwise an LRU in this process. `keyPrefix` keeps each use apart in one Redis.
 */
export async function openCache(
  config: CacheConfig,
  logger: Logger,
  options: { keyPrefix?: string } = {},
): Promise<Cache> {
  if (config.redisUrl === undefined) return openLruCache();
  return openRedisCache({
    url: config.redisUrl,
    logger,
    timeoutMs: config.redisTimeoutMs,
    ...options,
  });
}

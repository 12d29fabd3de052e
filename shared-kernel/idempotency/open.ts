import type { CacheConfig } from '../cache/open';
import type { Logger } from '../logging/logger';
import type { IdempotencyStore } from './port';
import { openRedisIdempotencyStore } from './redis';
import { openSqliteIdempotencyStore } from './sqlite';

/**
 * The one place the command API picks where idempotency keys live: Redis when REDIS_URL is
 * set (shared by every instance), otherwise a SQLite file under STRATA_DATA_DIR (shared by
 * every process on the machine, kept across restarts).
 */
export async function openIdempotencyStore(
  config: Pick<CacheConfig, 'redisUrl' | 'redisTimeoutMs'> & { dataDir: string },
  logger: Logger,
): Promise<IdempotencyStore> {
  if (config.redisUrl !== undefined)
    return openRedisIdempotencyStore({
      url: config.redisUrl,
      logger,
      timeoutMs: config.redisTimeoutMs,
    });
  return openSqliteIdempotencyStore({ dataDir: config.dataDir });
}

import type { Options, Store } from 'express-rate-limit';
import { Redis } from 'ioredis';
import { RedisStore } from 'rate-limit-redis';
import type { Logger } from '../../logging/logger';

export interface RedisRateLimitStore {
  store: Store;
  close(): Promise<void>;
}

/**
 * Rate-limit counters in Redis (rate-limit-redis over ioredis), shared by every instance of an
 * API. Like the cache client: no offline queue and a short command timeout, so a Redis outage
 * makes `increment` fail within ~`timeoutMs` (and the limiter let the request pass) instead of
 * holding requests.
 */
export function openRedisRateLimitStore(options: {
  url: string;
  logger: Logger;
  /** Keys are `<prefix><caller>`; each API keeps its own budget. */
  prefix: string;
  timeoutMs?: number;
}): RedisRateLimitStore {
  const timeoutMs = options.timeoutMs ?? 250;
  const redis = new Redis(options.url, {
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: (attempt) => Math.min(50 * attempt, 1000),
  });
  // Reconnects are reported through the store's own failing/recovered lines.
  redis.on('error', () => undefined);
  const inner = new RedisStore({
    prefix: options.prefix,
    sendCommand: (command: string, ...args: string[]) =>
      redis.call(command, ...args) as Promise<number | string>,
  });
  return {
    store: reloadingOnFailure(inner, options.logger),
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/**
 * RedisStore loads its Lua scripts once, in `init`; if Redis is down then, the script hashes
 * stay rejected promises and the limiter would stay off after Redis returns. After a failure
 * the scripts are loaded again, and outages are logged once each way.
 */
function reloadingOnFailure(inner: RedisStore, logger: Logger): Store {
  let options: Options | undefined;
  let failing = false;
  const reload = () => {
    if (options) inner.init(options).catch(() => undefined);
  };
  return {
    prefix: inner.prefix,
    localKeys: false,
    init(given) {
      options = given;
      reload();
    },
    async increment(key) {
      try {
        const result = await inner.increment(key);
        if (failing) logger.info('rate limit store reachable again');
        failing = false;
        return result;
      } catch (error) {
        if (!failing) {
          logger.warn('rate limit store unavailable; requests pass unlimited', {
            error: (error as Error).message,
          });
        }
        failing = true;
        reload();
        throw error;
      }
    },
    get: (key) => inner.get(key),
    decrement: (key) => inner.decrement(key),
    resetKey: (key) => inner.resetKey(key),
  };
}

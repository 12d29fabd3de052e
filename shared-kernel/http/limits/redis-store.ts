import type { Options, Store } from 'express-rate-limit';
import { Redis } from 'ioredis';
import { RedisStore } from 'rate-limit-redis';
import type { Logger } from '../../logging/logger';

export interface RedisRateLimitStore {
  store: Store;
  /** Resolves once the counting scripts are loaded (for specs and warm-up; never rejects). */
  ready(): Promise<void>;
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
  // Reconnects are reported through the store's own unavailable/reachable lines.
  redis.on('error', () => undefined);
  const inner = new RedisStore({
    prefix: options.prefix,
    sendCommand: (command: string, ...args: string[]) =>
      redis.call(command, ...args) as Promise<number | string>,
  });
  const connected = new Promise<void>((resolve) => redis.once('ready', () => resolve()));
  let scripts: Promise<void> | null = null;
  let settings: Options | undefined;
  // RedisStore loads its Lua scripts once, in init; a load that failed (Redis down) would stay
  // a rejected promise for good, so they are loaded again on every (re)connection.
  const loadScripts = () => {
    if (!settings) return;
    scripts = inner.init(settings).catch(() => undefined);
  };
  redis.on('ready', loadScripts);
  return {
    store: loggingOutages(inner, options.logger, (given) => {
      settings = given;
      // Before the first connection an increment fails (and passes open) rather than crash.
      inner.windowMs = given.windowMs;
      if (redis.status === 'ready') loadScripts();
    }),
    ready: async () => {
      await connected;
      await scripts;
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/** Outages are logged once each way; the limiter itself would log every request. */
function loggingOutages(
  inner: RedisStore,
  logger: Logger,
  init: (options: Options) => void,
): Store {
  let failing = false;
  return {
    prefix: inner.prefix,
    localKeys: false,
    init,
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
        throw error;
      }
    },
    get: (key) => inner.get(key),
    decrement: (key) => inner.decrement(key),
    resetKey: (key) => inner.resetKey(key),
  };
}

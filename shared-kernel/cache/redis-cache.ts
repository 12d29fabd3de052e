import { Redis } from 'ioredis';
import { UnavailableError } from '../errors';
import type { Logger } from '../logging/logger';
import { assertTtl, type Cache } from './port';

export interface RedisOptions {
  url: string;
  logger: Logger;
  /** Prepended to every key, so several uses can share one Redis. */
  keyPrefix?: string;
  /**
   * Per-command and connect timeout, for a Redis that holds the connection and never answers
   * (a stopped Redis closes it, and without an offline queue every call fails at once). It
   * also counts time this process's own event loop spends elsewhere: after a busy turn (a storm
   * of requests on a loaded machine) timers run before the socket is read, so a reply already
   * received times out. 500 ms gave 503s with Redis healthy (idempotency storm, load 13); 3 s
   * holds, and is still well inside the HTTP request timeout.
   */
  timeoutMs?: number;
}

/** An ioredis client set up as Strata uses it, and a way to call it that fails typed. */
export interface RedisConnection {
  redis: Redis;
  /** Runs one call; any failure becomes `UnavailableError` naming `what`. */
  call<T>(what: string, work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * Redis through ioredis. No offline queue and one retry per request: when Redis is down a call
 * fails at once (within `timeoutMs` when it hangs) with `UnavailableError` instead of queueing, while the
 * client keeps reconnecting in the background so service resumes by itself. Opening waits for
 * the first connection but does not fail without one: work that needs no Redis keeps going.
 */
export async function connectRedis(options: RedisOptions): Promise<RedisConnection> {
  const timeoutMs = options.timeoutMs ?? 3000;
  const redis = new Redis(options.url, {
    keyPrefix: options.keyPrefix ?? 'strata:',
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: (attempt) => Math.min(50 * attempt, 1000),
    lazyConnect: true,
  });
  let lastState = 'connecting';
  redis.on('error', (error: Error) => {
    // ioredis reports every failed reconnect; one line per state change is enough.
    if (lastState !== 'error') options.logger.warn('redis unavailable', { error: error.message });
    lastState = 'error';
  });
  redis.on('ready', () => {
    if (lastState === 'error') options.logger.info('redis reachable again');
    lastState = 'ready';
  });

  await redis.connect().catch(() => {
    // Logged by the error listener; ioredis goes on reconnecting.
  });

  return {
    redis,
    async call(what, work) {
      try {
        return await work();
      } catch (error) {
        throw new UnavailableError(`redis ${what} failed: ${(error as Error).message}`, 1, {
          cause: error,
        });
      }
    },
    async close() {
      // QUIT lets replies in flight arrive; when Redis is gone it fails at once, so drop the socket.
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

export async function openRedisCache(options: RedisOptions): Promise<Cache> {
  const { redis, call, close } = await connectRedis(options);
  return {
    get: (key) => call('GET', () => redis.get(key)),
    async set(key, value, ttlMs) {
      assertTtl(ttlMs);
      await call('SET', () => redis.set(key, value, 'PX', ttlMs));
    },
    async setIfAbsent(key, value, ttlMs) {
      assertTtl(ttlMs);
      const reply = await call('SET NX', () => redis.set(key, value, 'PX', ttlMs, 'NX'));
      return reply === 'OK';
    },
    async delete(key) {
      await call('DEL', () => redis.del(key));
    },
    async ping() {
      await call('PING', () => redis.ping());
    },
    close,
  };
}

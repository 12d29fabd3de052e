import { assertTtl } from '../cache/port';
import { connectRedis, type RedisOptions } from '../cache/redis-cache';
import type { IdempotencyStore } from './port';

/** Deletes the key only while it holds exactly the claim given. */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * Idempotency records in Redis, shared by every command API instance using it. A claim is one
 * `SET ... PX NX GET` (Redis 7.0 or later): it stores the claim or returns what the key holds,
 * atomically; expiry is Redis's own.
 */
export async function openRedisIdempotencyStore(options: RedisOptions): Promise<IdempotencyStore> {
  const { redis, call, close } = await connectRedis(options);
  redis.defineCommand('releaseClaim', { numberOfKeys: 1, lua: RELEASE });
  const release = (
    redis as unknown as Record<string, (k: string, v: string) => Promise<number>>
  ).releaseClaim!.bind(redis);
  return {
    async claim(key, value, ttlMs) {
      assertTtl(ttlMs);
      return call('SET NX GET', () => redis.set(key, value, 'PX', ttlMs, 'NX', 'GET'));
    },
    async complete(key, record, ttlMs) {
      assertTtl(ttlMs);
      await call('SET', () => redis.set(key, record, 'PX', ttlMs));
    },
    async release(key, value) {
      await call('release', () => release(key, value));
    },
    async ping() {
      await call('PING', () => redis.ping());
    },
    close,
  };
}

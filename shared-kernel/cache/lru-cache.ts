import { LRUCache } from 'lru-cache';
import { assertTtl, type Cache } from './port';

export interface LruCacheOptions {
  /** Most entries kept; the least recently used go first. */
  maxEntries?: number;
  /** Bound on the summed UTF-16 length of keys and values, so memory stays flat. */
  maxChars?: number;
}

/**
 * The embedded cache: in-process, so it is exact only within one process (which is what the
 * embedded setup runs). Every operation is synchronous underneath, which makes `setIfAbsent`
 * atomic for free.
 */
export function openLruCache(options: LruCacheOptions = {}): Cache {
  const entries = new LRUCache<string, string>({
    max: options.maxEntries ?? 100_000,
    maxSize: options.maxChars ?? 64 * 1024 * 1024,
    sizeCalculation: (value, key) => Math.max(1, value.length + key.length),
    ttlAutopurge: false,
  });
  let closed = false;
  const open = (): void => {
    if (closed) throw new Error('cache is closed');
  };
  return {
    async get(key) {
      open();
      return entries.get(key) ?? null;
    },
    async set(key, value, ttlMs) {
      open();
      assertTtl(ttlMs);
      entries.set(key, value, { ttl: ttlMs });
    },
    async setIfAbsent(key, value, ttlMs) {
      open();
      assertTtl(ttlMs);
      if (entries.has(key)) return false;
      entries.set(key, value, { ttl: ttlMs });
      return true;
    },
    async delete(key) {
      open();
      entries.delete(key);
    },
    async ping() {
      open();
    },
    async close() {
      closed = true;
      entries.clear();
    },
  };
}

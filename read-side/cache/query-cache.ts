import type { Cache } from '../../shared-kernel/cache/port';
import type { Position } from '../../shared-kernel/events/envelope';
import type { Logger } from '../../shared-kernel/logging/logger';

/** What the cache reports, for `/metrics`. */
export interface CacheCounters {
  hits: { inc(): void };
  misses: { inc(): void };
  /** Cache calls that failed (Redis down or slow); the answer came from the read models. */
  failures: { inc(): void };
  /** Requests answered without asking the cache because an outage was in progress. */
  bypassed: { inc(): void };
}

/**
 * An answer as the JSON text the cache holds and the response carries: a hit is sent as these
 * bytes, never parsed and serialised again, and a miss is serialised once for both.
 */
export class JsonText {
  constructor(readonly text: string) {}
}

export interface QueryCache {
  /**
   * Cache-aside: the answer stored for `key` at `position`, else `compute()` stored for the TTL;
   * null when the answer is null (a 404, cached like any other answer).
   * The position (and the live targets' generation) is part of the key, so once a processor
   * commits or a target is swapped, every older answer is unreachable (it just expires): no
   * invalidation messages, and nothing stale can be served.
   */
  through(
    key: string,
    position: Position | null,
    compute: () => Promise<unknown>,
  ): Promise<JsonText | null>;
}

const NULL_TEXT = 'null';

export interface QueryCacheOptions {
  cache: Cache;
  ttlMs: number;
  logger: Logger;
  counters: CacheCounters;
  /** After a failure the cache is left alone this long before it is tried again. */
  retryAfterMs?: number;
  now?: () => number;
  /**
   * The read models' live targets (the checkpoint watcher's `generation`): after a rollback a
   * position is reached again by another target, whose answers must not meet the old ones.
   */
  generation?: () => string;
}

/**
 * A cache that can only ever make a query faster, never fail it: when the cache cannot answer,
 * the query is served from the read models. An outage is logged once when it starts and once
 * when it ends, and during it the cache is skipped (one probe per `retryAfterMs`), so a dead
 * Redis costs neither a timeout per request nor a log line per request.
 */
export function createQueryCache(options: QueryCacheOptions): QueryCache {
  const { cache, ttlMs, logger, counters } = options;
  const retryAfterMs = options.retryAfterMs ?? 1_000;
  const now = options.now ?? Date.now;
  let downSince: number | null = null;
  let nextProbe = 0;

  const usable = (): boolean => downSince === null || now() >= nextProbe;
  const failed = (error: unknown): void => {
    counters.failures.inc();
    if (downSince === null) {
      downSince = now();
      logger.warn('query cache unavailable: answering from the read models', {
        error: error instanceof Error ? error.message : String(error),
      });
    }
    nextProbe = now() + retryAfterMs;
  };
  const worked = (): void => {
    if (downSince === null) return;
    logger.info('query cache reachable again', { outageMs: now() - downSince });
    downSince = null;
  };

  return {
    async through(key, position, compute) {
      const fullKey = `query:${options.generation?.() ?? ''}:${position ?? '0'}:${key}`;
      if (!usable()) {
        counters.bypassed.inc();
        return jsonText(await compute());
      }
      try {
        const stored = await cache.get(fullKey);
        worked();
        if (stored !== null) {
          counters.hits.inc();
          return stored === NULL_TEXT ? null : new JsonText(stored);
        }
        counters.misses.inc();
      } catch (error) {
        failed(error);
      }
      const answer = jsonText(await compute());
      if (usable()) await cache.set(fullKey, answer?.text ?? NULL_TEXT, ttlMs).then(worked, failed);
      return answer;
    },
  };
}

function jsonText(answer: unknown): JsonText | null {
  return answer === null ? null : new JsonText(JSON.stringify(answer));
}

import { Counter, type Registry } from 'prom-client';

export interface CacheCounter {
  inc(): void;
}

/** The counters a query cache reports through (read-side/cache/query-cache.ts counts into them). */
export interface QueryCacheCounters {
  hits: CacheCounter;
  misses: CacheCounter;
  failures: CacheCounter;
  bypassed: CacheCounter;
}

export function queryCacheCounters(registry: Registry): QueryCacheCounters {
  const counter = (name: string, help: string) =>
    new Counter({ name: `strata_query_cache_${name}_total`, help, registers: [registry] });
  return {
    hits: counter('hits', 'Query answers served from the cache'),
    misses: counter('misses', 'Cacheable queries computed from the read models'),
    failures: counter('failures', 'Cache calls that failed; answered from the read models'),
    bypassed: counter('bypassed', 'Queries that skipped the cache during an outage'),
  };
}

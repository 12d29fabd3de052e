import { cacheConfig } from '../shared-kernel/cache/open';
import { commonConfig } from '../shared-kernel/config/common';
import { integerVar, portVar } from '../shared-kernel/config/env';
import { accessConfig } from '../shared-kernel/http/auth/access';
import { documentStoreConfig } from '../shared-kernel/document-store/open';
import { searchIndexConfig } from '../shared-kernel/search-index/open';

/**
 * Everything the query API reads from its environment, read once in main.ts. There is no event
 * store variable on purpose: the query side answers only from read models, so an `ESDB_URL` in
 * the environment is never looked at.
 */
export const queryApiConfig = {
  ...commonConfig,
  ...documentStoreConfig,
  ...searchIndexConfig,
  ...accessConfig,
  ...cacheConfig,
  port: portVar('STRATA_QUERY_PORT', 3001),
  /** How long a query with `X-Min-Position` may wait for the read models to get there. */
  minPositionWaitMs: integerVar('STRATA_MIN_POSITION_WAIT_MS', 2_000, { min: 0, max: 60_000 }),
  /** How long a cached answer is kept; a newer checkpoint makes it unreachable sooner. */
  cacheTtlMs: integerVar('STRATA_CACHE_TTL_MS', 30_000, { min: 1, max: 86_400_000 }),
};

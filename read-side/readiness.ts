import type { Cache } from '../shared-kernel/cache/port';
import type { DocumentStore } from '../shared-kernel/document-store/port';
import { UnavailableError } from '../shared-kernel/errors';
import type { ReadinessCheck } from '../shared-kernel/http/operational-routes';
import type { SearchIndex } from '../shared-kernel/search-index/port';
import type { CircuitBreakers } from '../shared-kernel/resilience/circuit-breaker';
import { breakersDetail, notClosedBreakers } from '../shared-kernel/resilience/readiness-detail';
import { PRODUCT_SEARCH_INDEX } from '../projections/read-models/product-search';

export interface ReadinessDeps {
  documents: DocumentStore;
  search: SearchIndex;
  cache: Cache;
  /** The process's circuit breakers, whose states `/readyz` shows. */
  breakers?: CircuitBreakers;
}

/**
 * The query API is ready when its read-model stores answer. The search index counts as not
 * ready until the worker has built it (no live target), since searches would fail. An
 * unreachable cache is reported but does not make the process unready: queries are answered
 * without it.
 */
export function queryApiReadiness(deps: ReadinessDeps): ReadinessCheck {
  return async () => {
    const failed: string[] = [];
    await deps.documents.ping().catch(() => failed.push('documentStore'));
    await deps.search
      .aliasState(PRODUCT_SEARCH_INDEX.name)
      .then((state) => state.live ?? Promise.reject(new Error('not built')))
      .catch(() => failed.push('searchIndex'));
    if (failed.length > 0) {
      const breakers = notClosedBreakers(deps.breakers);
      throw new UnavailableError(`not ready: ${failed.join(', ')} unavailable${breakers}`);
    }
    const cache = await deps.cache.ping().then(
      () => 'up',
      () => 'unavailable',
    );
    return { status: 'ready', cache, ...breakersDetail(deps.breakers) };
  };
}

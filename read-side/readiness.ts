import type { Router } from 'express';
import type { Registry } from 'prom-client';
import type { Cache } from '../shared-kernel/cache/port';
import type { DocumentStore } from '../shared-kernel/document-store/port';
import { UnavailableError } from '../shared-kernel/errors';
import { route } from '../shared-kernel/http/error-handling';
import type { SearchIndex } from '../shared-kernel/search-index/port';
import { PRODUCT_SEARCH_INDEX } from '../projections/read-models/product-search';
import { metricsHandler } from '../shared-kernel/metrics/registry';

export interface OperationsDeps {
  documents: DocumentStore;
  search: SearchIndex;
  cache: Cache;
}

/**
 * `/readyz` names each store that cannot answer. The search index counts as not ready until
 * the worker has built it (no live target), since searches would fail. An unreachable cache is
 * reported but does not make the process unready: queries are answered without it.
 */
export function operationsRoutes(router: Router, deps: OperationsDeps, registry: Registry): void {
  route(router, '/livez', { get: [(_request, response) => void response.json({ status: 'up' })] });
  route(router, '/readyz', {
    get: [
      async (_request, response) => {
        const failed: string[] = [];
        await deps.documents.ping().catch(() => failed.push('documentStore'));
        await deps.search
          .aliasState(PRODUCT_SEARCH_INDEX.name)
          .then((state) => state.live ?? Promise.reject(new Error('not built')))
          .catch(() => failed.push('searchIndex'));
        if (failed.length > 0) {
          throw new UnavailableError(`not ready: ${failed.join(', ')} unavailable`);
        }
        const cache = await deps.cache.ping().then(
          () => 'up',
          () => 'unavailable',
        );
        response.json({ status: 'ready', cache });
      },
    ],
  });
  route(router, '/metrics', { get: [metricsHandler(registry)] });
}

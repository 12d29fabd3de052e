import { pathParam, pathParamDoc } from '../../shared-kernel/http/path-params';
import type { RouteSpec } from '../../shared-kernel/http/routes';
import { readRoute, type QueryRouteDeps } from '../http/read-route';
import { INVENTORY, stockOf } from './stock';

/** Stock is for any caller with a token. */
export function inventoryQueryRoutes(deps: QueryRouteDeps): RouteSpec[] {
  const { documents, cache, consistency } = deps;
  return [
    readRoute(consistency, {
      path: '/inventory/:sku',
      summary: 'Stock of one SKU',
      access: { kind: 'authenticated' },
      processor: INVENTORY,
      parameters: [pathParamDoc('sku', 'sku')],
      parse: (request) => pathParam(request, 'sku', 'sku'),
      answer: (sku, servedAt) =>
        cache.through(`inventory/${sku}`, servedAt, () => stockOf(documents, sku)),
      notFound: (sku) => `no stock has been recorded for SKU ${sku}`,
    }),
  ];
}

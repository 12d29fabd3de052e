import type { Access } from '../../shared-kernel/http/auth/policy';
import { pathParam, pathParamDoc } from '../../shared-kernel/http/path-params';
import type { RouteSpec } from '../../shared-kernel/http/routes';
import {
  PRODUCT_SEARCH_INDEX,
  PRODUCT_SEARCH_PROCESSOR,
} from '../../projections/read-models/product-search';
import { searchVisibility } from '../consistency/search-visibility';
import { minorUnits, pageSize, requireOrdered } from '../http/query-params';
import { readRoute, type QueryRouteDeps } from '../http/read-route';
import { ProductListQuery, ProductSearchQuery } from './dtos';
import { SEARCH_SORTS, searchProducts } from './product-search';
import { listProducts, productById, PRODUCTS } from './products';

/** The catalog is for any caller with a token. */
const ANY_CALLER: Access = { kind: 'authenticated' };
const PRICES = { minPrice: '1000', maxPrice: '5000', limit: '20' };

export function catalogQueryRoutes(deps: QueryRouteDeps): RouteSpec[] {
  const { documents, search, cache, consistency } = deps;
  const visibility = searchVisibility(search, PRODUCT_SEARCH_INDEX.name);
  return [
    // Before /products/:id, which would otherwise take "search" for an id.
    readRoute(consistency, {
      path: '/products/search',
      summary: 'Full-text product search with facets',
      access: ANY_CALLER,
      processor: PRODUCT_SEARCH_PROCESSOR,
      query: ProductSearchQuery,
      queryExamples: {
        q: 'desk lamp',
        category: 'lighting',
        inStock: 'true',
        sort: SEARCH_SORTS[1],
        ...PRICES,
      },
      parse(_request, query) {
        const { minPrice, maxPrice } = priceRange(query);
        return {
          ...(query.q !== undefined && { q: query.q }),
          ...(query.category !== undefined && { category: query.category }),
          ...(minPrice !== undefined && { minPrice }),
          ...(maxPrice !== undefined && { maxPrice }),
          ...(query.inStock !== undefined && { inStock: query.inStock === 'true' }),
          ...(query.cursor !== undefined && { cursor: query.cursor }),
          sort: query.sort ?? 'relevance',
          limit: pageSize(query.limit),
        };
      },
      answer: (params, servedAt) =>
        cache.through(`products/search/${JSON.stringify(params)}`, servedAt, async () => {
          // The answer is labelled `servedAt`: what the processor indexed up to there must show.
          await visibility.through(servedAt);
          return searchProducts(search, params);
        }),
    }),
    readRoute(consistency, {
      path: '/products',
      summary: 'Products by name, filtered',
      access: ANY_CALLER,
      processor: PRODUCTS,
      query: ProductListQuery,
      queryExamples: { category: 'lighting', status: 'active', ...PRICES },
      list: true,
      parse(_request, query) {
        const { minPrice, maxPrice } = priceRange(query);
        return {
          ...(query.category !== undefined && { category: query.category }),
          ...(query.status !== undefined && { status: query.status }),
          ...(minPrice !== undefined && { minPrice }),
          ...(maxPrice !== undefined && { maxPrice }),
          ...(query.cursor !== undefined && { cursor: query.cursor }),
          limit: pageSize(query.limit),
        };
      },
      answer: (params) => listProducts(documents, params),
    }),
    readRoute(consistency, {
      path: '/products/:id',
      summary: 'One product with stock and popularity',
      access: ANY_CALLER,
      processor: PRODUCTS,
      parameters: [pathParamDoc('id', 'uuid')],
      parse: (request) => pathParam(request, 'id', 'uuid'),
      answer: (id, servedAt) =>
        cache.through(`products/id/${id}`, servedAt, () => productById(documents, id)),
      notFound: (id) => `product ${id} does not exist`,
    }),
  ];
}

/** The price bounds of a product query in minor units, refused when minPrice exceeds maxPrice. */
function priceRange(query: { minPrice?: string | undefined; maxPrice?: string | undefined }): {
  minPrice: number | undefined;
  maxPrice: number | undefined;
} {
  const minPrice = minorUnits(query.minPrice);
  const maxPrice = minorUnits(query.maxPrice);
  requireOrdered({ name: 'minPrice', value: minPrice }, { name: 'maxPrice', value: maxPrice });
  return { minPrice, maxPrice };
}

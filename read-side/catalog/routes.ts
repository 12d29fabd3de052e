import type { Router } from 'express';
import { route } from '../../shared-kernel/http/error-handling';
import {
  PRODUCT_SEARCH_INDEX,
  PRODUCT_SEARCH_PROCESSOR,
} from '../../projections/read-models/product-search';
import { searchVisibility } from '../consistency/search-visibility';
import { pathParam, readRoute, type QueryRouteDeps } from '../http/read-route';
import {
  minorUnits,
  noQueryParams,
  pageSize,
  queryParams,
  requireOrdered,
} from '../http/query-params';
import { ProductListQuery, ProductSearchQuery } from './dtos';
import { searchProducts } from './product-search';
import { listProducts, productById, PRODUCTS } from './products';

export function catalogRoutes(router: Router, deps: QueryRouteDeps): void {
  const { documents, search, cache, consistency } = deps;
  const visibility = searchVisibility(search, PRODUCT_SEARCH_INDEX.name);
  // Before /products/:id, which would otherwise take "search" for an id.
  route(router, '/products/search', {
    get: [
      readRoute(consistency, {
        processor: PRODUCT_SEARCH_PROCESSOR,
        async parse(request) {
          const query = await queryParams(ProductSearchQuery, request);
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
    ],
  });
  route(router, '/products', {
    get: [
      readRoute(consistency, {
        processor: PRODUCTS,
        async parse(request) {
          const query = await queryParams(ProductListQuery, request);
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
    ],
  });
  route(router, '/products/:id', {
    get: [
      readRoute(consistency, {
        processor: PRODUCTS,
        async parse(request) {
          await noQueryParams(request);
          return pathParam(request, 'id', 'uuid');
        },
        answer: (id, servedAt) =>
          cache.through(`products/id/${id}`, servedAt, () => productById(documents, id)),
        notFound: (id) => `product ${id} does not exist`,
      }),
    ],
  });
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

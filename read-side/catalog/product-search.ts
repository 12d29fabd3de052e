import { NotFoundError, UnavailableError } from '../../shared-kernel/errors';
import type {
  FacetBucket,
  RangeBucketSpec,
  SearchFilter,
  SearchIndex,
  SearchSort,
} from '../../shared-kernel/search-index/port';
import { PRODUCT_SEARCH_INDEX } from '../../projections/read-models/product-search';

export const SEARCH_SORTS = ['relevance', 'price_asc', 'price_desc', 'popularity'] as const;
export type SearchSortName = (typeof SEARCH_SORTS)[number];

/**
 * The fixed price buckets of the `price` facet, in minor units: from inclusive, to exclusive.
 * Fixed rather than computed so a client can render them as stable filter links.
 */
export const PRICE_BUCKETS: readonly RangeBucketSpec[] = Object.freeze([
  { to: 1_000 },
  { from: 1_000, to: 2_500 },
  { from: 2_500, to: 5_000 },
  { from: 5_000, to: 10_000 },
  { from: 10_000, to: 25_000 },
  { from: 25_000, to: 50_000 },
  { from: 50_000 },
]);
const CATEGORY_FACET_SIZE = 20;

const SORTS: Record<SearchSortName, SearchSort> = {
  relevance: { kind: 'relevance' },
  price_asc: { kind: 'field', field: 'price', order: 'asc' },
  price_desc: { kind: 'field', field: 'price', order: 'desc' },
  popularity: { kind: 'field', field: 'popularity', order: 'desc' },
};

export interface ProductSearch {
  q?: string;
  category?: string;
  minPrice?: number;
  maxPrice?: number;
  inStock?: boolean;
  sort: SearchSortName;
  cursor?: string;
  limit: number;
}

export interface ProductSearchAnswer {
  items: Array<Record<string, unknown> & { score: number | null }>;
  total: number;
  facets: {
    category: Array<{ value: string; count: number }>;
    price: Array<{ from: number | null; to: number | null; count: number }>;
  };
  nextCursor: string | null;
}

/** Search over active products only: a discontinued product cannot be bought, so it is not found. */
export async function searchProducts(
  index: SearchIndex,
  search: ProductSearch,
): Promise<ProductSearchAnswer> {
  const filters: SearchFilter[] = [{ kind: 'term', field: 'status', value: 'active' }];
  if (search.category !== undefined) {
    filters.push({ kind: 'term', field: 'category', value: search.category });
  }
  if (search.minPrice !== undefined || search.maxPrice !== undefined) {
    filters.push({
      kind: 'range',
      field: 'price',
      ...(search.minPrice !== undefined && { gte: search.minPrice }),
      ...(search.maxPrice !== undefined && { lte: search.maxPrice }),
    });
  }
  if (search.inStock !== undefined) {
    filters.push({ kind: 'term', field: 'inStock', value: search.inStock });
  }
  const page = await index
    .search(PRODUCT_SEARCH_INDEX.name, {
      ...(search.q !== undefined && { q: search.q }),
      filters,
      sort: SORTS[search.sort],
      facets: [
        { kind: 'terms', field: 'category', size: CATEGORY_FACET_SIZE },
        { kind: 'range', field: 'price', ranges: PRICE_BUCKETS },
      ],
      ...(search.cursor !== undefined && { cursor: search.cursor }),
      limit: search.limit,
    })
    .catch((error: unknown) => {
      // The only thing a search can miss is the index itself: the worker has not built it yet.
      if (error instanceof NotFoundError) {
        throw new UnavailableError('the product search index is not built yet; retry shortly');
      }
      throw error;
    });
  return {
    items: page.hits.map((hit) => ({ ...searchView(hit.doc), score: hit.score })),
    total: page.total,
    facets: {
      category: termBuckets(page.facets.category ?? []),
      price: rangeBuckets(page.facets.price ?? []),
    },
    nextCursor: page.nextCursor,
  };
}

/** The hit in the product shape of GET /products/:id (the index keeps price as an amount). */
function searchView(doc: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { price, currency, inStock: _inStock, available: _available, ...rest } = doc;
  return { ...rest, price: { amount: price, currency } };
}

function termBuckets(buckets: FacetBucket[]): Array<{ value: string; count: number }> {
  return buckets.flatMap((b) => ('value' in b ? [{ value: b.value, count: b.count }] : []));
}

function rangeBuckets(
  buckets: FacetBucket[],
): Array<{ from: number | null; to: number | null; count: number }> {
  return buckets.flatMap((b) => ('from' in b ? [{ from: b.from, to: b.to, count: b.count }] : []));
}

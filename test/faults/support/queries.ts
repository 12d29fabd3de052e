import type { Answer } from './http';
import type { CatalogItem } from './catalog';

/**
 * Any request, its answer read whole. A refused or reset connection is status 0 with the error
 * as body, so a scenario counts it as a failure instead of crashing on it.
 */
export async function request(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer & { servedAt: string | null }> {
  try {
    const response = await fetch(url, init);
    const raw = await response.text();
    let body: unknown = raw;
    try {
      body = JSON.parse(raw);
    } catch {
      // Not JSON: kept as text.
    }
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      etag: response.headers.get('etag'),
      retryAfter: response.headers.get('retry-after'),
      replayed: response.headers.get('idempotent-replayed') === 'true',
      servedAt: response.headers.get('x-projection-position'),
      body,
      raw,
    };
  } catch (error) {
    const raw = String((error as { cause?: unknown }).cause ?? error);
    const none = { contentType: '', etag: null, retryAfter: null, replayed: false, servedAt: null };
    return { status: 0, ...none, body: raw, raw };
  }
}

/**
 * The mix of reads a storefront makes, n-th of a client's loop: a product page, a category
 * list, a search, a stock lookup. Each goes through a different route (and cache key family).
 */
export function storefrontRead(
  queryUrl: string,
  items: readonly CatalogItem[],
  n: number,
): { what: string; url: string } {
  const item = items[n % items.length] as CatalogItem;
  switch (n % 4) {
    case 0:
      return { what: 'product', url: `${queryUrl}/products/${item.productId}` };
    case 1:
      return { what: 'list', url: `${queryUrl}/products?category=${item.category}&limit=20` };
    case 2:
      return { what: 'search', url: `${queryUrl}/products/search?q=fault+item&sort=price_asc` };
    default:
      return { what: 'stock', url: `${queryUrl}/inventory/${item.sku}` };
  }
}

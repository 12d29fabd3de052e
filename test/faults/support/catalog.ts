import { newId } from '../../../shared-kernel/ids';
import { inParallel, postJson, type Answer } from './http';

/** A product a scenario made through the command API, with what it last told the API. */
export interface CatalogItem {
  productId: string;
  sku: string;
  category: string;
  price: number;
  onHand: number;
}

const CATEGORIES = ['kitchen', 'garden', 'office', 'outdoor'] as const;

/** The `$all` position and revision a command API success carries. */
export interface Accepted {
  position: string;
  streamRevision: number;
}

/** The success body of a command, or a failure naming the command and the whole answer. */
export function acceptedBody(answer: Answer, what: string): Accepted {
  const body = answer.body as Partial<Accepted> | null;
  if ((answer.status !== 200 && answer.status !== 201) || typeof body?.position !== 'string') {
    throw new Error(`${what}: ${answer.status} ${answer.raw.slice(0, 500)}`);
  }
  return { position: body.position, streamRevision: body.streamRevision as number };
}

/** `count` products, each created and given opening stock, `inFlight` clients at a time. */
export async function stockCatalog(
  commandUrl: string,
  count: number,
  inFlight = 8,
): Promise<CatalogItem[]> {
  const tag = newId().slice(-8).toUpperCase();
  return inParallel(count, inFlight, async (i) => {
    const item: CatalogItem = {
      productId: newId(),
      sku: `F2-${tag}-${i}`,
      category: CATEGORIES[i % CATEGORIES.length] as string,
      price: 1000 + i,
      onHand: 50 + i,
    };
    const create = {
      productId: item.productId,
      sku: item.sku,
      name: `Fault item ${i} ${tag}`,
      description: `Made by a fault scenario, number ${i}`,
      category: item.category,
      price: { amount: item.price, currency: 'EUR' },
    };
    acceptedBody(await postJson(`${commandUrl}/products`, create), `create ${item.sku}`);
    const receipt = { quantity: item.onHand, reference: 'opening' };
    const url = `${commandUrl}/inventory/${item.sku}/receipts`;
    acceptedBody(await postJson(url, receipt), `receive ${item.sku}`);
    return item;
  });
}

/** The next price of an item: always a new amount, so a stale answer is visible. */
export function changePrice(commandUrl: string, item: CatalogItem): Promise<Answer> {
  item.price += 1;
  const url = `${commandUrl}/products/${item.productId}/price`;
  return postJson(url, { price: { amount: item.price, currency: 'EUR' } });
}

export function receiveStock(commandUrl: string, item: CatalogItem, quantity = 1): Promise<Answer> {
  item.onHand += quantity;
  const url = `${commandUrl}/inventory/${item.sku}/receipts`;
  return postJson(url, { quantity, reference: 'top-up' });
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

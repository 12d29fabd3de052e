import { comparePositions } from '../../../shared-kernel/events/envelope';
import { acceptedBody, changePrice, receiveStock, type CatalogItem } from './catalog';
import { request } from './http';

/** One command followed by a read that asked to see it. */
export interface WriteThenRead {
  /** The read answered 5xx or not at all. */
  failed: boolean;
  /** The read answered, but with something older than the command it asked to see. */
  stale: boolean;
  detail: string;
  readMs: number;
}

interface ProductAnswer {
  price?: { amount?: number };
  stock?: { onHand?: number };
}

/**
 * Changes the item's price and receives one unit, then reads the product page with
 * `X-Min-Position` = the receipt's position. The answer must carry both changes and say it was
 * served at or past that position; a price or stock level from before is a stale answer.
 */
export async function writeThenRead(
  commandUrl: string,
  queryUrl: string,
  item: CatalogItem,
): Promise<WriteThenRead> {
  acceptedBody(await changePrice(commandUrl, item), `price of ${item.sku}`);
  const { position } = acceptedBody(await receiveStock(commandUrl, item), `receipt ${item.sku}`);
  const started = Date.now();
  const answer = await request(`${queryUrl}/products/${item.productId}`, {
    headers: { 'x-min-position': position },
  });
  const readMs = Date.now() - started;
  const seen = answer.body as ProductAnswer;
  const expected = `price ${item.price}, onHand ${item.onHand}, at or past ${position}`;
  const got =
    `${answer.status}: price ${seen?.price?.amount}, onHand ${seen?.stock?.onHand}, ` +
    `served at ${answer.servedAt}`;
  const detail = `${item.sku}: expected ${expected}; got ${got}`;
  if (answer.status === 0 || answer.status >= 500) {
    return { failed: true, stale: false, detail, readMs };
  }
  const stale =
    answer.status !== 200 ||
    seen.price?.amount !== item.price ||
    seen.stock?.onHand !== item.onHand ||
    answer.servedAt === null ||
    comparePositions(answer.servedAt, position) < 0;
  return { failed: false, stale, detail, readMs };
}

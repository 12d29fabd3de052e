import {
  comparePositions,
  type Position,
  type RecordedEvent,
} from '../../shared-kernel/events/envelope';
import type { ProductEventType } from '../catalog/product/events';
import type { OrderLine } from '../orders/order/events';

/** The product events that change what an order line takes from its product. */
const ORDER_FACTS: ReadonlySet<string> = new Set<ProductEventType>([
  'ProductPriceChanged',
  'ProductDiscontinued',
]);

/** A product's events from a revision on, in stream order. */
export type ProductHistory = (
  productId: string,
  fromRevision: number,
) => AsyncIterable<RecordedEvent>;

/**
 * The rule for an order's product facts: each line is priced from its product at one revision
 * (recorded on the line), and the order holds only if no price change or discontinuation of that
 * product lies between that revision and the order's own position in the log, i.e. it carries
 * the facts in force where it landed. Returns the products that break it, in line order. Every
 * event before `placedAt` is readable once the order is (both stores make positions visible in
 * order), so the answer is final; reading stops at the first event at or past `placedAt`, so it
 * costs the events of the race window, not the product's history. Lines without a recorded
 * revision (orders placed before it was recorded) are taken as they are.
 */
export async function productsChangedBefore(
  history: ProductHistory,
  lines: ReadonlyArray<Pick<OrderLine, 'productId' | 'productRevision'>>,
  placedAt: Position,
): Promise<string[]> {
  const changed: string[] = [];
  for (const { productId, productRevision } of lines) {
    if (productRevision === undefined || changed.includes(productId)) continue;
    for await (const event of history(productId, productRevision + 1)) {
      if (comparePositions(event.position, placedAt) >= 0) break;
      if (ORDER_FACTS.has(event.type)) {
        changed.push(productId);
        break;
      }
    }
  }
  return changed;
}

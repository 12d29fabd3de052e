import type { CollectionDeclaration } from '../../shared-kernel/document-store/port';
import { comparePositions, type RecordedEvent } from '../../shared-kernel/events/envelope';
import type { OrderEvent } from '../../write-side/orders/order/events';
import { evolveProjection, type DocumentProjection } from '../engine/projection';
import {
  PRODUCT_EVENT_TYPES,
  STOCK_EVENT_TYPES,
  alreadyApplied,
  asOrderEvent,
  asProductEvent,
  asStockEvent,
  type Recorded,
} from './domain-events';
import {
  addPopularity,
  applyProductEvent,
  applyStockToProduct,
  type ProductDoc,
} from './product-document';

export type { ProductDoc } from './product-document';

const asc = (field: string) => ({ field, direction: 'asc' as const });

/** The query API's product lookups: by id, lists ordered by name, price range filters. */
export function productsCollection(name = 'products'): CollectionDeclaration {
  return {
    name,
    indexes: [
      { name: 'by_product_id', fields: [asc('productId')] },
      { name: 'by_name', fields: [asc('name')] },
      { name: 'by_category_name', fields: [asc('category'), asc('name')] },
      { name: 'by_status_name', fields: [asc('status'), asc('name')] },
      { name: 'by_category_status_name', fields: [asc('category'), asc('status'), asc('name')] },
      { name: 'by_price', fields: [asc('price.amount')] },
      { name: 'by_category_price', fields: [asc('category'), asc('price.amount')] },
    ],
  };
}

/** A rejected reservation moves no counter, so the products fold does not take it. */
const STOCK_CHANGES = STOCK_EVENT_TYPES.filter((type) => type !== 'StockReservationRejected');

export interface ProductsProjectionNames {
  /** Processor name: its checkpoint and dead letters are kept under it. */
  name: string;
  collection: CollectionDeclaration;
}

/**
 * Products with their stock and popularity, one document per SKU. Parameterised by names so the
 * search processor can run its own copy of the same fold (see product-search.ts).
 */
export function productsProjection(
  names: ProductsProjectionNames = { name: 'products', collection: productsCollection() },
): DocumentProjection {
  return evolveProjection<ProductDoc>({
    name: names.name,
    collection: names.collection,
    handles: [...PRODUCT_EVENT_TYPES, ...STOCK_CHANGES, 'OrderConfirmed', 'OrderCancelled'],
    documentIds: productIdsOf,
    evolve: evolveProduct,
  });
}

export function productIdsOf(event: RecordedEvent): string[] {
  const product = asProductEvent(event);
  if (product) return [product.data.sku];
  const stock = asStockEvent(event);
  if (stock) return stock.type === 'StockReservationRejected' ? [] : [stock.data.sku];
  const order = asOrderEvent(event);
  return order ? [...popularityChanges(order).keys()] : [];
}

/**
 * Each source guards against its own replays: the product and stock streams by their revision,
 * order events by `$all` position. A single high-water mark over all sources would drop events a
 * parked stream releases later (they are older than what other streams moved the mark to).
 */
export function evolveProduct(
  doc: ProductDoc | null,
  event: RecordedEvent,
  sku: string,
): ProductDoc | null {
  const product = asProductEvent(event);
  if (product) {
    return alreadyApplied(doc?.version, event.revision) ? doc : applyProductEvent(doc, product);
  }
  const stock = asStockEvent(event);
  if (stock) {
    if (stock.type === 'StockReservationRejected') return doc;
    return alreadyApplied(doc?.stockVersion, event.revision)
      ? doc
      : applyStockToProduct(doc, stock);
  }
  const order = asOrderEvent(event);
  const units = order ? popularityChanges(order).get(sku) : undefined;
  if (units === undefined) return doc;
  const seen = doc?.popularityPosition;
  if (seen != null && comparePositions(event.position, seen) <= 0) return doc;
  return addPopularity(doc, sku, units, event);
}

/**
 * Signed units per SKU that an order event adds to popularity. Only a confirmation counts, and a
 * cancellation takes back only what a confirmation added: an order cancelled while still placed
 * (or rejected) was never counted. Lines of one SKU are summed, should an order ever repeat one.
 */
function popularityChanges(event: Recorded<OrderEvent>): Map<string, number> {
  const units = new Map<string, number>();
  let sign: number;
  if (event.type === 'OrderConfirmed') sign = 1;
  else if (event.type === 'OrderCancelled' && event.data.previousStatus !== 'placed') sign = -1;
  else return units;
  for (const line of event.data.lines) {
    units.set(line.sku, (units.get(line.sku) ?? 0) + sign * line.quantity);
  }
  return units;
}

import type { RecordedEvent } from '../../shared-kernel/events/envelope';
import { aggregateTypeOfStream, type AggregateType } from '../../write-side/aggregates';
import {
  PRODUCT_EVENT_SCHEMA_VERSIONS,
  type ProductEvent,
} from '../../write-side/catalog/product/events';
import {
  STOCK_ITEM_EVENT_SCHEMA_VERSIONS,
  type StockItemEvent,
} from '../../write-side/inventory/stock-item/events';
import { ORDER_EVENT_SCHEMA_VERSIONS, type OrderEvent } from '../../write-side/orders/order/events';

/**
 * Read models see `RecordedEvent`s with `data: unknown`. The engine has already upcast them, so
 * an event whose type belongs to an aggregate has that aggregate's current data shape; these
 * narrowings use the write side's own schema-version tables as the list of types, so a new event
 * type added there is recognised here without a second list to keep in step, and accept an
 * event only from its aggregate's streams (a foreign stream reusing a type name is ignored).
 */
export type Recorded<E> = E extends { type: infer T extends string; data: infer D }
  ? RecordedEvent<T, D>
  : never;

function narrower<E>(type: AggregateType, types: Readonly<Record<string, number>>) {
  return (event: RecordedEvent): Recorded<E> | null =>
    Object.hasOwn(types, event.type) && aggregateTypeOfStream(event.streamId) === type
      ? (event as Recorded<E>)
      : null;
}

export const asProductEvent = narrower<ProductEvent>('product', PRODUCT_EVENT_SCHEMA_VERSIONS);
export const asStockEvent = narrower<StockItemEvent>('stock', STOCK_ITEM_EVENT_SCHEMA_VERSIONS);
export const asOrderEvent = narrower<OrderEvent>('order', ORDER_EVENT_SCHEMA_VERSIONS);

export const PRODUCT_EVENT_TYPES: readonly string[] = Object.freeze(
  Object.keys(PRODUCT_EVENT_SCHEMA_VERSIONS),
);
export const STOCK_EVENT_TYPES: readonly string[] = Object.freeze(
  Object.keys(STOCK_ITEM_EVENT_SCHEMA_VERSIONS),
);
export const ORDER_EVENT_TYPES: readonly string[] = Object.freeze(
  Object.keys(ORDER_EVENT_SCHEMA_VERSIONS),
);

/** For one-stream documents: an event at or before the folded `version` is a replay. */
export function alreadyApplied(version: number | null | undefined, revision: number): boolean {
  return typeof version === 'number' && revision <= version;
}

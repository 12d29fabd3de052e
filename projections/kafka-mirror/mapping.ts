import { assertNever } from '../../shared-kernel/decider';
import type { EventMetadata, RecordedEvent } from '../../shared-kernel/events/envelope';
import type { IntegrationMessage } from '../../shared-kernel/integration/port';
import type { AggregateType } from '../../write-side/aggregates';
import type { ProductState } from '../../write-side/catalog/product/decider';
import type { ProductEvent } from '../../write-side/catalog/product/events';
import type { SkuState } from '../../write-side/catalog/sku/decider';
import type { SkuEvent } from '../../write-side/catalog/sku/events';
import type { StockItemState } from '../../write-side/inventory/stock-item/decider';
import type { StockItemEvent } from '../../write-side/inventory/stock-item/events';
import type { OrderState } from '../../write-side/orders/order/decider';
import type { OrderEvent } from '../../write-side/orders/order/events';
import { message, missingState, publicMoney } from './integration-envelope';
import { orderMessage } from './order-mapping';
import type { PublicProduct, PublicStockLevel } from './public-events';

/** All a stock message needs of the stock item's state (the mirror keeps no more of it). */
export type StockCounters = Pick<StockItemState, 'onHand' | 'reserved'>;

/** What the mapper needs of a recorded event besides its type and data. */
export interface SourceFacts {
  eventId: string;
  metadata: Pick<EventMetadata, 'occurredAt' | 'traceparent' | 'tracestate'>;
}

/**
 * One internal event, with its aggregate's state AFTER it (the mirror folds the stream), so a
 * partial internal event (a price change) can become a whole public one (the product).
 */
export type MappingInput =
  | { aggregate: 'product'; event: ProductEvent & SourceFacts; state: ProductState }
  | { aggregate: 'stock'; event: StockItemEvent & SourceFacts; state: StockCounters }
  | { aggregate: 'order'; event: OrderEvent & SourceFacts; state: OrderState }
  | { aggregate: 'sku'; event: SkuEvent & SourceFacts; state: SkuState };

/**
 * Internal event -> public integration event (docs/integration-events.md), or null for an internal-only
 * event. Pure: the same input always gives the same message, so a replay republishes it
 * byte for byte with the same ce_id and consumers drop it as a duplicate.
 */
export function toIntegrationMessage(input: MappingInput): IntegrationMessage | null {
  switch (input.aggregate) {
    case 'product':
      return productMessage(input.event, input.state);
    case 'stock':
      return stockMessage(input.event, input.state);
    case 'order':
      return orderMessage(input.event, input.state);
    case 'sku':
      return null; // SKU reservations are how the catalog keeps SKUs unique: internal
    default:
      return assertNever(input, 'aggregate');
  }
}

/**
 * For the mirror, which holds recorded events of any stream and the state it folded with that
 * aggregate's decider (`aggregates[type].decider.evolve`): the one place that trusts the pair.
 */
export function integrationMessageFor(
  aggregate: AggregateType,
  event: RecordedEvent,
  stateAfter: unknown,
): IntegrationMessage | null {
  return toIntegrationMessage({ aggregate, event, state: stateAfter } as MappingInput);
}

function productMessage(event: ProductEvent & SourceFacts, state: ProductState) {
  if (state.status === 'absent') throw missingState(event, 'product');
  const product: PublicProduct = {
    productId: state.productId,
    sku: state.sku,
    name: state.name,
    description: state.description,
    category: state.category,
    price: publicMoney(state.price),
    attributes: { ...state.attributes },
    status: state.status,
  };
  const subject = { key: state.productId, subject: `product/${state.productId}` };
  switch (event.type) {
    case 'ProductCreated':
    case 'ProductDetailsUpdated':
    case 'ProductPriceChanged':
      return message('catalog', 'ProductUpdated', event, subject, product);
    case 'ProductDiscontinued':
      return message('catalog', 'ProductDiscontinued', event, subject, {
        ...product,
        reason: event.data.reason,
      });
    default:
      return assertNever(event, 'product event');
  }
}

/** Every stock event, a rejected reservation included, reports the level it leaves. */
function stockMessage(event: StockItemEvent & SourceFacts, state: StockCounters) {
  const sku = event.data.sku;
  const level: PublicStockLevel = {
    sku,
    onHand: state.onHand,
    reserved: state.reserved,
    available: state.onHand - state.reserved,
  };
  return message(
    'inventory',
    'StockLevelChanged',
    event,
    { key: sku, subject: `stock/${sku}` },
    level,
  );
}

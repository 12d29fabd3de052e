import type { StockItemEvent } from '../../inventory/stock-item/events';
import type { OrderEvent } from '../order/events';
import type { SagaCommand } from './saga-command';

/** What the saga asked of each line's stock, keyed by SKU. */
export type LineProgress = 'pending' | 'reserved' | 'rejected' | 'released' | 'committed';

/**
 * `rejecting`: a line was refused and RejectOrder issued, but the order's rejection is not seen
 * yet. Stock is released only once the saga has seen the order settle (`rejected`, `cancelled`,
 * `shipped`), never before: a stock item forgets an order when it is released, and from then on
 * only the order's settled status keeps a repeated ReserveStock from reserving again.
 */
export type FulfillmentPhase =
  'reserving' | 'confirmed' | 'rejecting' | 'rejected' | 'cancelled' | 'shipped';

/** One order's fulfillment; the runner keeps one per order id (see `fulfillmentKey`). */
export interface FulfillmentState {
  orderId: string;
  phase: FulfillmentPhase;
  lines: Record<string, { quantity: number; progress: LineProgress }>;
  /** Events already reacted to, so a redelivery changes nothing. */
  handledEventIds: string[];
}

/** A recorded event as far as the saga cares; a `RecordedEvent` fits. */
export interface SagaEvent {
  eventId: string;
  type: string;
  data: unknown;
  metadata: { occurredAt: string };
}

export interface Reaction {
  state: FulfillmentState | null;
  commands: SagaCommand[];
}

export type Consumed = Extract<
  OrderEvent | StockItemEvent,
  {
    type:
      | 'OrderPlaced'
      | 'OrderRejected'
      | 'OrderCancelled'
      | 'OrderShipped'
      | 'StockReserved'
      | 'StockReservationRejected';
  }
>;

export const FULFILLMENT_EVENT_TYPES: readonly Consumed['type'][] = [
  'OrderPlaced',
  'StockReserved',
  'StockReservationRejected',
  'OrderRejected',
  'OrderCancelled',
  'OrderShipped',
];

export function isConsumed(event: SagaEvent): event is SagaEvent & Consumed {
  return (FULFILLMENT_EVENT_TYPES as readonly string[]).includes(event.type);
}

/** The order an event concerns, or null when the saga does not consume it. */
export function fulfillmentKey(event: SagaEvent): string | null {
  return isConsumed(event) ? event.data.orderId : null;
}

/** Shared by the saga specs: order o-1 of three lines A x1, B x2, C x3. */
import type { OrderPlacedData } from '../order/events';
import { react } from './saga';
import { sagaCommandId, type SagaCommand } from './saga-command';
import { type FulfillmentState, type SagaEvent } from './state';

export const orderId = 'o-1';
export const at = '2024-03-01T10:00:00.000Z';
const eur = (amount: number) => ({ amount, currency: 'EUR' });
const line = (sku: string, quantity: number) => ({
  productId: `p-${sku}`,
  sku,
  quantity,
  unitPrice: eur(100),
  lineTotal: eur(100 * quantity),
});
export const placedData: OrderPlacedData = {
  orderId,
  customerId: 'c1',
  lines: [line('A', 1), line('B', 2), line('C', 3)],
  total: eur(600),
  shippingAddress: { name: 'n', line1: 'l', city: 'c', postalCode: 'p', country: 'GB' },
  placedAt: at,
};
export const event = (eventId: string, type: string, data: unknown): SagaEvent => ({
  eventId,
  type,
  data,
  metadata: { occurredAt: at },
});
export const placed = event('e-placed', 'OrderPlaced', placedData);
export const reserved = (sku: string, quantity: number) =>
  event(`e-reserved-${sku}`, 'StockReserved', { sku, orderId, quantity });
export const refused = (sku: string, quantity: number, available: number) =>
  event(`e-rejected-${sku}`, 'StockReservationRejected', { sku, orderId, quantity, available });
export const cancelled = event('e-cancelled', 'OrderCancelled', {
  orderId,
  reason: 'r',
  cancelledAt: at,
});
export const rejectedOrder = event('e-rejected', 'OrderRejected', {
  orderId,
  reason: 'r',
  failedSkus: ['B'],
  rejectedAt: at,
});
export const shipped = event('e-shipped', 'OrderShipped', {
  orderId,
  carrier: 'c',
  trackingNumber: 't',
  shippedAt: at,
});

/** Feeds events in order; returns the final state and the commands of each step. */
export function play(...events: SagaEvent[]): {
  state: FulfillmentState | null;
  steps: SagaCommand[][];
} {
  let state: FulfillmentState | null = null;
  const steps: SagaCommand[][] = [];
  for (const e of events) {
    const reaction = react(state, e);
    state = reaction.state;
    steps.push(reaction.commands);
  }
  return { state, steps };
}

export const stock = (
  trigger: SagaEvent,
  type: 'ReserveStock' | 'ReleaseReservation' | 'CommitReservation',
  sku: string,
  quantity?: number,
): SagaCommand => ({
  commandId: sagaCommandId(trigger.eventId, type, `stock-${sku}`),
  aggregate: 'stock',
  command:
    type === 'ReserveStock'
      ? { type, data: { sku, orderId, quantity: quantity as number } }
      : { type, data: { sku, orderId } },
});
export const confirmOrder = (trigger: SagaEvent): SagaCommand => ({
  commandId: sagaCommandId(trigger.eventId, 'ConfirmOrder', `order-${orderId}`),
  aggregate: 'order',
  command: { type: 'ConfirmOrder', data: { orderId, at } },
});

import { assertNever } from '../../shared-kernel/decider';
import type { JsonObject } from '../../shared-kernel/integration/port';
import type { OrderState } from '../../write-side/orders/order/decider';
import type { OrderEvent } from '../../write-side/orders/order/events';
import { message, missingState, publicMoney } from './integration-envelope';
import type { SourceFacts } from './mapping';
import type { PublicOrder, PublicOrderEventType } from './public-events';

/** Every order event becomes the order as it now is (public fields only) plus its own facts. */
export function orderMessage(event: OrderEvent & SourceFacts, state: OrderState) {
  if (state.status === 'absent') throw missingState(event, 'order');
  const order: PublicOrder = {
    orderId: state.orderId,
    customerId: state.customerId,
    status: state.status,
    lines: state.lines.map((line) => ({
      productId: line.productId,
      sku: line.sku,
      quantity: line.quantity,
      unitPrice: publicMoney(line.unitPrice),
      lineTotal: publicMoney(line.lineTotal),
    })),
    total: publicMoney(state.total),
  };
  const [type, facts] = orderFacts(event);
  const subject = { key: state.orderId, subject: `order/${state.orderId}` };
  return message('orders', type, event, subject, { ...order, ...facts });
}

/** The public name of an order event and the facts it adds to the order. */
function orderFacts(event: OrderEvent): [PublicOrderEventType, JsonObject] {
  switch (event.type) {
    case 'OrderPlaced':
      return ['OrderPlaced', { placedAt: event.data.placedAt }];
    case 'OrderConfirmed':
      return ['OrderConfirmed', { confirmedAt: event.data.confirmedAt }];
    case 'OrderRejected':
      return [
        'OrderRejected',
        {
          reason: event.data.reason,
          failedSkus: [...event.data.failedSkus],
          rejectedAt: event.data.rejectedAt,
        },
      ];
    case 'PaymentRecorded':
      return ['OrderPaid', { amount: publicMoney(event.data.amount), paidAt: event.data.paidAt }];
    case 'OrderShipped': {
      const { carrier, trackingNumber, shippedAt } = event.data;
      return ['OrderShipped', { carrier, trackingNumber, shippedAt }];
    }
    case 'OrderCancelled':
      return ['OrderCancelled', { reason: event.data.reason, cancelledAt: event.data.cancelledAt }];
    default:
      return assertNever(event, 'order event');
  }
}

import type { CollectionDeclaration } from '../../shared-kernel/document-store/port';
import type { RecordedEvent } from '../../shared-kernel/events/envelope';
import { assertNever } from '../../shared-kernel/decider';
import type { OrderStatus } from '../../write-side/orders/order/decider';
import { evolveProjection, type DocumentProjection } from '../engine/projection';
import { ORDER_EVENT_TYPES, alreadyApplied, asOrderEvent } from './domain-events';
import type { MoneyDoc } from './product-document';

export type OrderLineDoc = {
  productId: string;
  sku: string;
  quantity: number;
  unitPrice: MoneyDoc;
  lineTotal: MoneyDoc;
};

export type OrderDoc = {
  orderId: string;
  customerId: string;
  lines: OrderLineDoc[];
  total: MoneyDoc;
  shippingAddress: { [key: string]: string };
  status: OrderStatus;
  /** Every status the order went through, with the domain time of each change. */
  statusHistory: Array<{ status: OrderStatus; at: string }>;
  payment?: { amount: MoneyDoc; paymentReference: string; paidAt: string };
  shipment?: { carrier: string; trackingNumber: string; shippedAt: string };
  rejection?: { reason: string; failedSkus: string[] };
  cancellation?: { reason: string };
  placedAt: string;
  updatedAt: string;
  /** Revision of the order stream's last event folded in. */
  version: number;
};

const field = (name: string, direction: 'asc' | 'desc' = 'asc') => ({ field: name, direction });

/** A customer's orders newest first (optionally of one status), and orders by status. */
export function ordersCollection(): CollectionDeclaration {
  return {
    name: 'orders',
    indexes: [
      { name: 'by_customer', fields: [field('customerId'), field('placedAt', 'desc')] },
      {
        name: 'by_customer_status',
        fields: [field('customerId'), field('status'), field('placedAt', 'desc')],
      },
      { name: 'by_status', fields: [field('status'), field('placedAt')] },
    ],
  };
}

export function ordersProjection(): DocumentProjection {
  return evolveProjection<OrderDoc>({
    name: 'orders',
    collection: ordersCollection(),
    handles: ORDER_EVENT_TYPES,
    documentIds: (event) => {
      const order = asOrderEvent(event);
      return order ? [order.data.orderId] : [];
    },
    evolve: evolveOrder,
  });
}

export function evolveOrder(doc: OrderDoc | null, recorded: RecordedEvent): OrderDoc | null {
  const event = asOrderEvent(recorded);
  if (event === null || alreadyApplied(doc?.version, event.revision)) return doc;
  const stamp = { version: event.revision, updatedAt: event.metadata.occurredAt };
  if (event.type === 'OrderPlaced') {
    const { data } = event;
    return {
      orderId: data.orderId,
      customerId: data.customerId,
      lines: data.lines.map((line) => ({
        productId: line.productId,
        sku: line.sku,
        quantity: line.quantity,
        unitPrice: { ...line.unitPrice },
        lineTotal: { ...line.lineTotal },
      })),
      total: { ...data.total },
      shippingAddress: { ...data.shippingAddress },
      status: 'placed',
      statusHistory: [{ status: 'placed', at: data.placedAt }],
      placedAt: data.placedAt,
      ...stamp,
    };
  }
  // Nothing can be said of an order whose placement was never seen.
  if (doc === null) return null;
  const moveTo = (status: OrderStatus, at: string) => ({
    ...doc,
    status,
    statusHistory: [...doc.statusHistory, { status, at }],
    ...stamp,
  });
  switch (event.type) {
    case 'OrderConfirmed':
      return moveTo('confirmed', event.data.confirmedAt);
    case 'OrderRejected': {
      const rejection = { reason: event.data.reason, failedSkus: [...event.data.failedSkus] };
      return { ...moveTo('rejected', event.data.rejectedAt), rejection };
    }
    case 'PaymentRecorded': {
      const { amount, paymentReference, paidAt } = event.data;
      return {
        ...moveTo('paid', paidAt),
        payment: { amount: { ...amount }, paymentReference, paidAt },
      };
    }
    case 'OrderShipped': {
      const { carrier, trackingNumber, shippedAt } = event.data;
      return { ...moveTo('shipped', shippedAt), shipment: { carrier, trackingNumber, shippedAt } };
    }
    case 'OrderCancelled':
      return {
        ...moveTo('cancelled', event.data.cancelledAt),
        cancellation: { reason: event.data.reason },
      };
    default:
      return assertNever(event, 'order event');
  }
}

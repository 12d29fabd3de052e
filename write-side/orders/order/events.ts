import type { DomainEvent } from '../../../shared-kernel/events/envelope';
import type { Money } from '../../../shared-kernel/money';
import type { ShippingAddress } from './commands';

export interface OrderLine {
  productId: string;
  sku: string;
  quantity: number;
  unitPrice: Money;
  lineTotal: Money;
  /**
   * The product's stream revision the line was priced at, so a placement can tell whether the
   * product changed before the order landed. Absent on orders placed before it was recorded.
   */
  productRevision?: number;
}

/**
 * The units an order holds, repeated on confirmation and cancellation so that read models
 * (popularity counts units of confirmed orders) need no lookup of the placement.
 */
export interface OrderedUnits {
  productId: string;
  sku: string;
  quantity: number;
}

export interface OrderPlacedData {
  orderId: string;
  customerId: string;
  lines: OrderLine[];
  total: Money;
  shippingAddress: ShippingAddress;
  placedAt: string;
}

export type OrderEvent =
  | DomainEvent<'OrderPlaced', OrderPlacedData>
  | DomainEvent<'OrderConfirmed', { orderId: string; lines: OrderedUnits[]; confirmedAt: string }>
  | DomainEvent<
      'OrderRejected',
      { orderId: string; reason: string; failedSkus: string[]; rejectedAt: string }
    >
  | DomainEvent<
      'PaymentRecorded',
      { orderId: string; amount: Money; paymentReference: string; paidAt: string }
    >
  | DomainEvent<
      'OrderShipped',
      { orderId: string; carrier: string; trackingNumber: string; shippedAt: string }
    >
  | DomainEvent<
      'OrderCancelled',
      {
        orderId: string;
        reason: string;
        lines: OrderedUnits[];
        previousStatus: 'placed' | 'confirmed' | 'paid';
        cancelledAt: string;
      }
    >;

export type OrderEventType = OrderEvent['type'];

export const ORDER_EVENT_SCHEMA_VERSIONS: Record<OrderEventType, number> = {
  OrderPlaced: 1,
  OrderConfirmed: 1,
  OrderRejected: 1,
  PaymentRecorded: 1,
  OrderShipped: 1,
  OrderCancelled: 1,
};

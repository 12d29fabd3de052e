import type { Money } from '../../../shared-kernel/money';
import type { OrderCommand, PlaceOrderLine, ProductSnapshot } from './commands';
import type { OrderEvent } from './events';

/** Shared by the order specs: a two-line order of 2 mugs and 1 kettle, 4500 EUR cents. */
export const orderId = '0190f5a2-0000-7000-8000-00000000a001';
export const at = '2024-03-01T10:00:00.000Z';
export const eur = (amount: number): Money => ({ amount, currency: 'EUR' });
export const address = {
  name: 'Ada',
  line1: '1 Loop St',
  city: 'London',
  postalCode: 'N1',
  country: 'GB',
};

export const mug: ProductSnapshot = {
  sku: 'MUG-1',
  price: eur(1000),
  status: 'active',
  revision: 3,
};
export const kettle: ProductSnapshot = {
  sku: 'KET-1',
  price: eur(2500),
  status: 'active',
  revision: 0,
};

export function placeOrder(lines: PlaceOrderLine[]): OrderCommand {
  return {
    type: 'PlaceOrder',
    data: { orderId, customerId: 'c1', lines, shippingAddress: address, at },
  };
}

export const place = placeOrder([
  { productId: 'p-mug', quantity: 2, product: mug },
  { productId: 'p-kettle', quantity: 1, product: kettle },
]);

export const placed: OrderEvent = {
  type: 'OrderPlaced',
  data: {
    orderId,
    customerId: 'c1',
    lines: [
      {
        productId: 'p-mug',
        sku: 'MUG-1',
        quantity: 2,
        unitPrice: eur(1000),
        lineTotal: eur(2000),
        productRevision: 3,
      },
      {
        productId: 'p-kettle',
        sku: 'KET-1',
        quantity: 1,
        unitPrice: eur(2500),
        lineTotal: eur(2500),
        productRevision: 0,
      },
    ],
    total: eur(4500),
    shippingAddress: address,
    placedAt: at,
  },
};
const units = [
  { productId: 'p-mug', sku: 'MUG-1', quantity: 2 },
  { productId: 'p-kettle', sku: 'KET-1', quantity: 1 },
];
export const confirmed: OrderEvent = {
  type: 'OrderConfirmed',
  data: { orderId, lines: units, confirmedAt: at },
};
export const rejected: OrderEvent = {
  type: 'OrderRejected',
  data: { orderId, reason: 'no stock', failedSkus: ['MUG-1'], rejectedAt: at },
};
export const paid: OrderEvent = {
  type: 'PaymentRecorded',
  data: { orderId, amount: eur(4500), paymentReference: 'pay-1', paidAt: at },
};
export const shipped: OrderEvent = {
  type: 'OrderShipped',
  data: { orderId, carrier: 'DHL', trackingNumber: 'T1', shippedAt: at },
};
export const cancelledFrom = (previousStatus: 'placed' | 'confirmed' | 'paid'): OrderEvent => ({
  type: 'OrderCancelled',
  data: { orderId, reason: 'changed mind', lines: units, previousStatus, cancelledAt: at },
});
export const cancelled = cancelledFrom('placed');

export const confirm: OrderCommand = { type: 'ConfirmOrder', data: { orderId, at } };
export const reject: OrderCommand = {
  type: 'RejectOrder',
  data: { orderId, reason: 'no stock', failedSkus: ['MUG-1'], at },
};
export const pay = (amount: Money, paymentReference = 'pay-1'): OrderCommand => ({
  type: 'RecordPayment',
  data: { orderId, amount, paymentReference, at },
});
export const ship = (trackingNumber = 'T1'): OrderCommand => ({
  type: 'ShipOrder',
  data: { orderId, carrier: 'DHL', trackingNumber, at },
});
export const cancel: OrderCommand = {
  type: 'CancelOrder',
  data: { orderId, reason: 'changed mind', at },
};

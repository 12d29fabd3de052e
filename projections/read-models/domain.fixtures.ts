/** Domain event data shared by the read-model specs: two products, one order over both. */
import type { ProductCreatedData } from '../../write-side/catalog/product/events';
import type { OrderPlacedData } from '../../write-side/orders/order/events';
import { eur } from './read-model.fixtures';

export const mugId = '0190f5a2-0000-7000-8000-00000000000a';
export const teapotId = '0190f5a2-0000-7000-8000-00000000000b';
export const orderId = '0190f5a2-0000-7000-8000-0000000000c1';

export const mugCreated: ProductCreatedData = {
  productId: mugId,
  sku: 'MUG-001',
  name: 'Mug',
  description: 'Stoneware, 300 ml',
  category: 'kitchen',
  price: eur(1299),
  attributes: { colour: 'blue' },
};

export const teapotCreated: ProductCreatedData = {
  productId: teapotId,
  sku: 'TEA-001',
  name: 'Teapot',
  description: 'Cast iron',
  category: 'kitchen',
  price: eur(4500),
  attributes: {},
};

export const orderLines = [
  { productId: mugId, sku: 'MUG-001', quantity: 2, unitPrice: eur(1299), lineTotal: eur(2598) },
  { productId: teapotId, sku: 'TEA-001', quantity: 1, unitPrice: eur(4500), lineTotal: eur(4500) },
];

export const orderPlaced: OrderPlacedData = {
  orderId,
  customerId: 'customer-1',
  lines: orderLines,
  total: eur(7098),
  shippingAddress: {
    name: 'Ada',
    line1: '1 Main St',
    city: 'Leeds',
    postalCode: 'LS1',
    country: 'GB',
  },
  placedAt: '2024-03-01T09:59:00.000Z',
};

/** The (productId, sku, quantity) lines that OrderConfirmed and OrderCancelled carry. */
export const movedLines = orderLines.map(({ productId, sku, quantity }) => ({
  productId,
  sku,
  quantity,
}));

export const stream = {
  mug: `product-${mugId}`,
  teapot: `product-${teapotId}`,
  mugStock: 'stock-MUG-001',
  teapotStock: 'stock-TEA-001',
  order: `order-${orderId}`,
};

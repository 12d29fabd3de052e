import { newId } from '../../shared-kernel/ids';

/** Values no field of any command accepts: wrong types, out of range, control characters. */
export const NEVER_VALID: unknown[] = [
  null,
  true,
  false,
  1.5,
  -1e15,
  1e300,
  '',
  '   ',
  '\u0000',
  'ok\u0007',
  '\ud800',
  'x'.repeat(6000),
  [],
  [1],
  ['a'],
  { $gt: 1 },
  { $where: { x: 1 } },
  { a: 1 },
];

export type Body = Record<string, unknown>;
export interface RouteCase {
  method: 'post' | 'patch';
  path: string;
  valid: Body;
  /** Dotted paths to every field, so mutations reach nested ones too. */
  fields: string[];
  required: string[];
}

export function routeCases(productId: string, sku: string, orderId: string): RouteCase[] {
  const money = { amount: 100, currency: 'EUR' };
  const address = { name: 'A', line1: 'B', line2: 'C', city: 'D', postalCode: 'E', country: 'DE' };
  const addressFields = Object.keys(address).map((k) => `shippingAddress.${k}`);
  return [
    {
      method: 'post',
      path: '/products',
      valid: {
        productId: newId(),
        sku: 'NEW-1',
        name: 'n',
        description: 'd',
        category: 'c',
        price: money,
        attributes: { a: 'b' },
      },
      fields: [
        'productId',
        'sku',
        'name',
        'description',
        'category',
        'price',
        'price.amount',
        'price.currency',
        'attributes',
      ],
      required: ['sku', 'name', 'category', 'price', 'price.amount', 'price.currency'],
    },
    {
      method: 'patch',
      path: `/products/${productId}`,
      valid: { name: 'n2', description: 'd2', category: 'c2', attributes: {} },
      fields: ['name', 'description', 'category', 'attributes'],
      required: [],
    },
    {
      method: 'post',
      path: `/products/${productId}/price`,
      valid: { price: { amount: 200, currency: 'EUR' } },
      fields: ['price', 'price.amount', 'price.currency'],
      required: ['price', 'price.amount', 'price.currency'],
    },
    {
      method: 'post',
      path: `/products/${productId}/discontinue`,
      valid: { reason: 'r' },
      fields: ['reason'],
      required: [],
    },
    {
      method: 'post',
      path: `/inventory/${sku}/receipts`,
      valid: { quantity: 5, reference: 'r' },
      fields: ['quantity', 'reference'],
      required: ['quantity'],
    },
    {
      method: 'post',
      path: `/inventory/${sku}/adjustments`,
      valid: { quantity: -1, reason: 'r' },
      fields: ['quantity', 'reason'],
      required: ['quantity', 'reason'],
    },
    {
      method: 'post',
      path: '/orders',
      valid: {
        orderId: newId(),
        customerId: newId(),
        lines: [{ productId, quantity: 1 }],
        shippingAddress: address,
      },
      fields: [
        'orderId',
        'customerId',
        'lines',
        'lines.0',
        'lines.0.productId',
        'lines.0.quantity',
        'shippingAddress',
        ...addressFields,
      ],
      required: [
        'customerId',
        'lines',
        'lines.0.productId',
        'lines.0.quantity',
        'shippingAddress',
        ...addressFields.filter((f) => !f.endsWith('line2')),
      ],
    },
    {
      method: 'post',
      path: `/orders/${orderId}/payments`,
      valid: { amount: money, paymentReference: 'p' },
      fields: ['amount', 'amount.amount', 'amount.currency', 'paymentReference'],
      required: ['amount', 'amount.amount', 'amount.currency', 'paymentReference'],
    },
    {
      method: 'post',
      path: `/orders/${orderId}/shipment`,
      valid: { carrier: 'c', trackingNumber: 't' },
      fields: ['carrier', 'trackingNumber'],
      required: ['carrier', 'trackingNumber'],
    },
    {
      method: 'post',
      path: `/orders/${orderId}/cancellation`,
      valid: { reason: 'r' },
      fields: ['reason'],
      required: ['reason'],
    },
  ];
}

/** A copy of `body` with the value at `path` replaced (or removed when `value` is undefined). */
export function mutate(body: Body, path: string, value: unknown): Body {
  const copy = structuredClone(body);
  const keys = path.split('.');
  let node = copy as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  const last = keys[keys.length - 1] as string;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

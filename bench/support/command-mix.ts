import { newId } from '../../shared-kernel/ids';
import type { HttpRequestSpec } from './http-load';

/** 35% price changes, 35% stock receipts, 30% orders of 1-3 lines, on random seeded aggregates. */
export function commandMix(productIds: string[], skus: string[]): () => HttpRequestSpec {
  const pick = () => Math.floor(Math.random() * productIds.length);
  const address = {
    name: 'Bench',
    line1: '1 Load St',
    city: 'Berlin',
    postalCode: '10115',
    country: 'DE',
  };
  return () => {
    const roll = Math.random();
    if (roll < 0.35) {
      const price = { amount: 1000 + Math.floor(Math.random() * 9000), currency: 'EUR' };
      return { method: 'POST', path: `/products/${productIds[pick()]}/price`, body: { price } };
    }
    if (roll < 0.7) {
      return {
        method: 'POST',
        path: `/inventory/${skus[pick()]}/receipts`,
        body: { quantity: 1 + Math.floor(Math.random() * 10) },
      };
    }
    const lines = Array.from({ length: 1 + Math.floor(Math.random() * 3) }, () => ({
      productId: productIds[pick()],
      quantity: 1,
    }));
    const distinct = [...new Map(lines.map((line) => [line.productId, line])).values()];
    return {
      method: 'POST',
      path: '/orders',
      body: { customerId: newId(), lines: distinct, shippingAddress: address },
    };
  };
}

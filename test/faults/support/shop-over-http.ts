import { newId } from '../../../shared-kernel/ids';
import { postJson, type Answer } from './http';

/**
 * A small catalogue made through the command API, the way a client would: products with stock,
 * and orders placed on them. Used by scenarios that then race or break things over HTTP.
 */
export interface HttpProduct {
  productId: string;
  sku: string;
  price: number;
  initialStock: number;
}

export interface HttpOrder {
  orderId: string;
  product: HttpProduct;
  quantity: number;
}

export const address = {
  name: 'Grace Hopper',
  line1: '1 Harbour Rd',
  city: 'Arlington',
  postalCode: '22201',
  country: 'US',
};

/** Fails with the answer when the command API did not accept a setup command. */
export function accepted(answer: Answer, what: string): Answer {
  if (answer.status !== 200 && answer.status !== 201) {
    throw new Error(`${what}: ${answer.status} ${answer.raw}`);
  }
  return answer;
}

export async function createProducts(
  commandUrl: string,
  count: number,
  initialStock: number,
  tag = newId().slice(-6).toUpperCase(),
): Promise<HttpProduct[]> {
  const products: HttpProduct[] = [];
  for (let i = 0; i < count; i++) {
    const product = { productId: newId(), sku: `HOT${i}-${tag}`, price: 100 + i, initialStock };
    const body = {
      productId: product.productId,
      sku: product.sku,
      name: `Hot item ${i}`,
      category: 'hot',
      price: { amount: product.price, currency: 'EUR' },
    };
    accepted(await postJson(`${commandUrl}/products`, body), `create ${product.sku}`);
    const receipt = { quantity: initialStock, reference: 'opening-stock' };
    const url = `${commandUrl}/inventory/${product.sku}/receipts`;
    accepted(await postJson(url, receipt), `receive ${product.sku}`);
    products.push(product);
  }
  return products;
}

export async function placeOrder(
  commandUrl: string,
  product: HttpProduct,
  quantity: number,
): Promise<HttpOrder> {
  const orderId = newId();
  const body = {
    orderId,
    customerId: newId(),
    lines: [{ productId: product.productId, quantity }],
    shippingAddress: address,
  };
  accepted(await postJson(`${commandUrl}/orders`, body), `place order on ${product.sku}`);
  return { orderId, product, quantity };
}

import { newId } from '../../shared-kernel/ids';
import type { Random } from './seeded-random';
import type { Append, ShopLedger } from './shop-ledger';

export interface ListedProduct {
  productId: string;
  sku: string;
}

const ADJECTIVES = ['Stoneware', 'Cast Iron', 'Bamboo', 'Linen', 'Copper', 'Walnut', 'Glass'];
const NOUNS = ['Mug', 'Teapot', 'Pan', 'Lamp', 'Bowl', 'Towel', 'Chair', 'Vase', 'Kettle'];
const WORDS = ['durable', 'handmade', 'dishwasher safe', 'matte', 'recycled', 'compact', 'warm'];
const clerk = () => ({ correlationId: newId(), actor: 'catalog-clerk' });

/**
 * The catalog and the warehouse going about their day: products created with their SKU claim
 * (now and then after a claim given back by a create that lost a race) and first stock, then
 * price changes, detail edits, receipts, count adjustments and the odd discontinued product.
 * Only active products are offered to orders.
 */
export function catalogActivity(shop: ShopLedger, random: Random) {
  const active: ListedProduct[] = [];
  let receipts = 0;

  const description = () =>
    `${random.pick(WORDS)}, ${random.pick(WORDS)}; batch ${random.int(1000)}`;

  function* createProduct(n: number): Generator<Append> {
    const productId = newId();
    const sku = `SKU-${String(n).padStart(6, '0')}`;
    const cause = clerk();
    if (random.chance(0.02)) {
      // A create that lost a race for another product id gives its claim back first.
      const lost = { sku, productId: newId() };
      yield shop.run('sku', sku, { type: 'ReserveSku', data: lost }, cause)!;
      yield shop.run('sku', sku, { type: 'ReleaseSku', data: lost }, cause)!;
    }
    yield shop.run('sku', sku, { type: 'ReserveSku', data: { sku, productId } }, cause)!;
    shop.forget('sku', sku);
    const name = `${random.pick(ADJECTIVES)} ${random.pick(NOUNS)} ${n}`;
    const price = { amount: random.between(199, 99_999), currency: 'EUR' };
    const data = { productId, sku, name, description: description(), category: `c${n % 20}` };
    const attributes = { colour: random.pick(['blue', 'red', 'oak', 'white']) };
    const command = { type: 'CreateProduct' as const, data: { ...data, price, attributes } };
    yield shop.run('product', productId, command, cause)!;
    // A few SKUs get almost no stock, so the saga's rejection path shows up in the history.
    const quantity = random.chance(0.03) ? 1 : random.between(200, 600);
    const receipt = {
      type: 'ReceiveStock' as const,
      data: { sku, quantity, reference: 'opening' },
    };
    yield shop.run('stock', sku, receipt, cause)!;
    active.push({ productId, sku });
  }

  /** One catalog or warehouse command on a random active product (null if already satisfied). */
  function activity(): Append | null {
    const product = random.pick(active);
    const { productId, sku } = product;
    const roll = random.next();
    if (roll < 0.35) {
      const current = shop.state('product', productId);
      if (current.status !== 'active') return null;
      const step = Math.max(1, Math.round(current.price.amount * 0.05));
      const amount = Math.max(99, current.price.amount + (random.chance(0.5) ? step : -step));
      const price = { amount, currency: current.price.currency };
      return shop.run(
        'product',
        productId,
        { type: 'ChangeProductPrice', data: { productId, price } },
        clerk(),
      );
    }
    if (roll < 0.5) {
      const data = { productId, description: description() };
      return shop.run('product', productId, { type: 'UpdateProductDetails', data }, clerk());
    }
    if (roll < 0.75) {
      const data = { sku, quantity: random.between(20, 200), reference: `PO-${++receipts}` };
      return shop.run('stock', sku, { type: 'ReceiveStock', data }, clerk());
    }
    if (roll < 0.995) {
      const stock = shop.state('stock', sku);
      const quantity = stock.onHand - stock.reserved >= 2 ? -random.between(1, 2) : 1;
      const data = { sku, quantity, reason: 'cycle count' };
      return shop.run('stock', sku, { type: 'AdjustStock', data }, clerk());
    }
    active.splice(active.indexOf(product), 1);
    const data = { productId, reason: 'end of line' };
    return shop.run('product', productId, { type: 'DiscontinueProduct', data }, clerk());
  }

  /** `count` distinct active products for one order. */
  function pickForOrder(count: number): ListedProduct[] {
    const chosen = new Set<ListedProduct>();
    while (chosen.size < Math.min(count, active.length)) chosen.add(random.pick(active));
    return [...chosen];
  }

  return { createProduct, activity, pickForOrder, activeCount: () => active.length };
}

export type CatalogActivity = ReturnType<typeof catalogActivity>;

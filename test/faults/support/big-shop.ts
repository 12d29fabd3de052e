import { newId } from '../../../shared-kernel/ids';
import { sagaProcessor } from '../../../projections/processors/saga-processor';
import { changePrices } from '../../support/shop-history';
import type { ShopStores } from '../../support/shop-stores';
import {
  placeOrders,
  stockShop,
  type PlannedOrder,
  type ShopPlan,
  type ShopProduct,
} from '../../support/shop-traffic';

/**
 * A shop sized by the number of events wanted, its history put in through the real command
 * handler in-process (HTTP would take minutes for 100,000 events). Many SKUs keep every stream
 * short, as in a real catalogue: a command folds its whole stream, so a few giant streams would
 * measure that rather than the fault.
 */
export interface BigShop {
  plan: ShopPlan;
  /** Orders placed but left for the worker's saga: its backlog while it is being killed. */
  undecided: PlannedOrder[];
}

/** The same order kinds as planShop, spread over `productCount` plentiful SKUs. */
export function planBigShop(orderCount: number, productCount: number): ShopPlan {
  const tag = newId().slice(-8).toUpperCase();
  const product = (name: string, stock: number): ShopProduct => ({
    productId: newId(),
    sku: `${name}-${tag}`,
    stock,
  });
  const plenty = Array.from({ length: productCount }, (_, n) => product(`BULK${n}`, 1_000_000));
  const hot = product('HOT', Math.max(10, Math.floor(orderCount / 50)));
  const rare = product('RARE', 5);
  const pick = (i: number, k: number) => plenty[(i * 7 + k * 13) % plenty.length] as ShopProduct;
  const line = (p: ShopProduct, quantity: number) => ({
    productId: p.productId,
    sku: p.sku,
    quantity,
  });
  const orders: PlannedOrder[] = [];
  for (let i = 0; i < orderCount; i++) {
    const slot = i % 20;
    const lines =
      slot < 17
        ? [line(pick(i, 0), 1 + (i % 3)), ...(i % 2 ? [line(pick(i, 1), 2)] : [])]
        : slot < 19
          ? [line(pick(i, 0), 1), line(hot, 1 + (i % 2))]
          : [line(pick(i, 0), 1), line(rare, rare.stock + 1)];
    const kind = slot < 17 ? 'plentiful' : slot < 19 ? 'hot' : 'impossible';
    orders.push({ orderId: newId(), kind, lines });
  }
  return { products: [...plenty, hot, rare], hot, rare, orders };
}

/**
 * Roughly `events` events: the catalogue and its stock, one order per ten events (about 3.5
 * events each once the saga has decided them), then price changes to make up the rest. The
 * saga runs in-process over the store the worker will use, so its checkpoint carries over; the
 * last fifth of the orders are placed after it stopped and wait for the worker's saga.
 */
export async function buildBigShop(shop: ShopStores, events: number): Promise<BigShop> {
  const productCount = Math.max(20, Math.floor(events / 200));
  const orderCount = Math.floor(events / 10);
  const plan = planBigShop(orderCount, productCount);
  const decidedCount = Math.floor(orderCount * 0.8);
  await stockShop(shop.dispatch, plan);
  await placeOrders(shop.dispatch, plan.orders.slice(0, decidedCount), 16);
  const saga = await shop.startRunner(sagaProcessor(shop.handler, shop.logger));
  await shop.settle(saga, 600_000);
  await saga.stop();
  const undecided = plan.orders.slice(decidedCount);
  await placeOrders(shop.dispatch, undecided, 16);
  const sofar = shop.events.eventsBetween?.(null, await shop.events.headPosition()) ?? 0;
  const expectedSaga = undecided.length * 2.5;
  const rounds = Math.max(1, Math.round((events - sofar - expectedSaga) / plan.products.length));
  await changePrices(shop.dispatch, plan.products, rounds);
  return { plan, undecided };
}

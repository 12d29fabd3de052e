import { newId } from '../../shared-kernel/ids';
import type { CommandRequest } from '../../write-side/command-handling/command-request';
import type { DispatchCommand } from '../../write-side/command-handling/dispatch';
import { EUR, testContext } from '../../write-side/command-handling/command-handler.fixtures';
import { sagaProcessor } from '../../projections/processors/saga-processor';
import type { ShopStores } from './shop-stores';
import { placeOrders, planShop, stockShop, type ShopPlan, type ShopProduct } from './shop-traffic';

/**
 * A busy shop's log, made through the real command handler: products, receipts, orders, the
 * saga's reservations, confirmations, rejections and releases, then price changes. About
 * 4 events per order plus `priceRounds` per product.
 */
export async function buildShopHistory(
  shop: ShopStores,
  orderCount: number,
  priceRounds: number,
): Promise<ShopPlan> {
  const plan = planShop(orderCount);
  await stockShop(shop.dispatch, plan);
  await placeOrders(shop.dispatch, plan.orders);
  const saga = await shop.startRunner(sagaProcessor(shop.handler, shop.logger));
  await shop.settle(saga, 60_000);
  await saga.stop();
  await changePrices(shop.dispatch, plan.products, priceRounds);
  return plan;
}

/** `rounds` price changes per product, the products interleaved as in a repricing job. */
export async function changePrices(
  dispatch: DispatchCommand,
  products: readonly ShopProduct[],
  rounds: number,
  firstAmount = 1000,
): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    await Promise.all(
      products.map((product) =>
        dispatch({
          aggregate: 'product',
          commandId: newId(),
          context: testContext({ actor: 'pricing' }),
          command: {
            type: 'ChangeProductPrice',
            data: { productId: product.productId, price: EUR(firstAmount + round + 1) },
          },
        } as CommandRequest),
      ),
    );
  }
}

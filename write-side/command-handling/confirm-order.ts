import type { OrderCommand } from '../orders/order/commands';
import type { OrderState } from '../orders/order/decider';
import { productsChangedBefore } from './changed-products';
import type { CommandHandler } from './command-handler';

type ConfirmOrder = Extract<OrderCommand, { type: 'ConfirmOrder' }>;

/**
 * ConfirmOrder's context: did a product the order was priced from change before the order was
 * placed (`productsChangedBefore`)? The placement checks this itself and rejects such an order
 * at once; this is the guard for a placement that could not (its process died in between, or
 * its rejection failed), so the saga never confirms an order carrying out-of-date facts: the
 * decider turns the confirmation into the rejection.
 */
export async function confirmOrderInContext(
  command: ConfirmOrder,
  order: OrderState,
  history: CommandHandler['history'],
): Promise<ConfirmOrder> {
  if (order.status !== 'placed') return command;
  let placedAt: string | undefined;
  for await (const event of history('order', order.orderId, { maxCount: 1 })) {
    placedAt = event.position;
  }
  if (placedAt === undefined) return command;
  const changedProducts = await productsChangedBefore(
    (productId, fromRevision) => history('product', productId, { fromRevision }),
    order.lines,
    placedAt,
  );
  return changedProducts.length === 0
    ? command
    : { ...command, data: { ...command.data, changedProducts } };
}

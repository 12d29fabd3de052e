import { getRecord } from '../../shared-kernel/keyed-records';
import type { StockItemCommand } from '../inventory/stock-item/commands';
import type { StockItemState } from '../inventory/stock-item/decider';
import type { OrderState } from '../orders/order/decider';

type ReserveStock = Extract<StockItemCommand, { type: 'ReserveStock' }>;

/**
 * ReserveStock's context: is the order still `placed`? Read AFTER the stock item, inside the
 * same attempt, and the decision is appended at the item's revision as read. That order of
 * reads is what makes a repeated reservation (redelivered, reordered, or re-issued by a saga
 * reset) safe without the item remembering every order it served: the item forgets an order
 * only when the saga releases or commits it, which the saga does only after seeing the order
 * settle, and a settled order never becomes placed again. So if the item no longer knows the
 * order, the order was already settled before the item was read, and this read sees it.
 * When the item still knows the order the decider answers from that, and nothing is read.
 */
export async function reserveStockInContext(
  command: ReserveStock,
  item: StockItemState,
  loadOrder: (orderId: string) => Promise<OrderState>,
): Promise<ReserveStock> {
  const { orderId } = command.data;
  if (getRecord(item.orders, orderId) !== undefined) return command;
  const order = await loadOrder(orderId);
  return { ...command, data: { ...command.data, orderPlaced: order.status === 'placed' } };
}

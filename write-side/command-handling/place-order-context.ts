import type { ProductSnapshot } from '../orders/order/commands';
import type { CommandHandler } from './command-handler';
import type { CommandRequest, CommandResult } from './command-request';

/**
 * PlaceOrder prices lines from the catalog as it is now: each distinct product is loaded (in
 * parallel) and its sku, price and status put into the command, null for an unknown product,
 * so the order decider stays pure and names the unknown product itself.
 */
export async function placeOrder(
  handler: CommandHandler,
  request: CommandRequest<'order'>,
): Promise<CommandResult> {
  const { command } = request;
  if (command.type !== 'PlaceOrder') throw new TypeError(`not PlaceOrder: ${command.type}`);
  const productIds = [...new Set(command.data.lines.map((line) => line.productId))];
  const snapshots = new Map<string, ProductSnapshot | null>();
  await Promise.all(
    productIds.map(async (productId) => {
      const { state } = await handler.load('product', productId);
      snapshots.set(
        productId,
        state.status === 'absent'
          ? null
          : { sku: state.sku, price: state.price, status: state.status },
      );
    }),
  );
  const lines = command.data.lines.map((line) => ({
    ...line,
    product: snapshots.get(line.productId) ?? null,
  }));
  return handler.execute({ ...request, command: { ...command, data: { ...command.data, lines } } });
}

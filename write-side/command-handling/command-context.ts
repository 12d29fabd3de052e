import type { CommandHandler } from './command-handler';
import type { CommandRequest, StateOf } from './command-request';
import { confirmOrderInContext } from './confirm-order';
import { reserveStockInContext } from './reserve-stock';

/**
 * Completes a command whose context depends on its target's state, after loading that state:
 * the commands that look across aggregates read what they need through the handler.
 */
export function commandInContext(load: CommandHandler['load'], history: CommandHandler['history']) {
  return async (request: CommandRequest, state: unknown): Promise<unknown> => {
    const { command } = request;
    if (request.aggregate === 'stock' && command.type === 'ReserveStock') {
      const loadOrder = async (orderId: string) => (await load('order', orderId)).state;
      return reserveStockInContext(command, state as StateOf<'stock'>, loadOrder);
    }
    if (request.aggregate === 'order' && command.type === 'ConfirmOrder') {
      return confirmOrderInContext(command, state as StateOf<'order'>, history);
    }
    return command;
  };
}

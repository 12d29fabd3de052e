import { NotFoundError } from '../../shared-kernel/errors';
import type { CommandHandler } from './command-handler';
import type { CommandRequest, CommandResult } from './command-request';

/**
 * Stock can only be received for a SKU the catalog knows: the SKU's reservation stream says
 * which product holds it. Without this a typo in a SKU would quietly open a new stock item.
 */
export async function receiveStock(
  handler: CommandHandler,
  request: CommandRequest<'stock'>,
): Promise<CommandResult> {
  const { command } = request;
  if (command.type !== 'ReceiveStock') throw new TypeError(`not ReceiveStock: ${command.type}`);
  const { state } = await handler.load('sku', command.data.sku);
  if (state.productId === null) {
    throw new NotFoundError(`no product has SKU ${command.data.sku}`);
  }
  return handler.execute(request);
}

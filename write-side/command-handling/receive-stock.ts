import { LRUCache } from 'lru-cache';
import { NotFoundError } from '../../shared-kernel/errors';
import type { CommandHandler } from './command-handler';
import type { CommandRequest, CommandResult } from './command-request';

/**
 * Stock can only be received for a SKU the catalog knows: the SKU's reservation stream says
 * which product holds it. Without this a typo in a SKU would quietly open a new stock item.
 */
export async function receiveStock(
  handler: CommandHandler,
  knownSkus: KnownSkus,
  request: CommandRequest<'stock'>,
): Promise<CommandResult> {
  const { command } = request;
  if (command.type !== 'ReceiveStock') throw new TypeError(`not ReceiveStock: ${command.type}`);
  const { sku } = command.data;
  if (!knownSkus.has(sku)) {
    const { state } = await handler.load('sku', sku);
    if (state.productId === null) throw new NotFoundError(`no product has SKU ${sku}`);
    knownSkus.set(sku, true);
  }
  return handler.execute(request);
}

/**
 * SKUs seen reserved. A reservation is never undone, so remembering one cannot go stale; it
 * saves a stream read on every receipt for a SKU already seen. Bounded: the least recently
 * used are forgotten (and simply read again).
 */
export type KnownSkus = LRUCache<string, true>;

export function knownSkus(max = 100_000): KnownSkus {
  return new LRUCache<string, true>({ max });
}

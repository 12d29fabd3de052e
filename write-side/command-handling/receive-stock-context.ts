import { LRUCache } from 'lru-cache';
import { NotFoundError } from '../../shared-kernel/errors';
import type { CommandHandler } from './command-handler';
import type { CommandRequest, CommandResult } from './command-request';
import { skuClaim } from './sku-holder';

/**
 * Stock can only be received for a SKU a product has: the SKU's claim names the product, and
 * that product exists with it. Without this a typo in a SKU would quietly open a new stock item,
 * and a claim left by a create that never landed would take stock no product can sell.
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
    const claim = await skuClaim(handler, sku);
    if (claim.state !== 'held' || !claim.productExists) {
      throw new NotFoundError(`no product has SKU ${sku}`);
    }
    knownSkus.set(sku, true);
  }
  return handler.execute(request);
}

/**
 * SKUs seen held by their product. A product never loses its SKU, so remembering one cannot go
 * stale; it
 * saves a stream read on every receipt for a SKU already seen. Bounded: the least recently
 * used are forgotten (and simply read again).
 */
export type KnownSkus = LRUCache<string, true>;

export function knownSkus(max = 100_000): KnownSkus {
  return new LRUCache<string, true>({ max });
}

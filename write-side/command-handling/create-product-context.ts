import { v5 as uuidv5 } from 'uuid';
import { ConcurrencyError, ConflictError, StrataError } from '../../shared-kernel/errors';
import { aggregates, streamIdOf } from '../aggregates';
import type { CommandHandler } from './command-handler';
import { requireIfMatch, type CommandRequest, type CommandResult } from './command-request';
import { skuClaim } from './sku-holder';

const SKU_RESERVATION_NAMESPACE = '0d5f3c2a-7b41-4e8e-a6c9-1f2e3d4c5b6a';

/**
 * CreateProduct spans two streams: the SKU is claimed first (`sku-<sku>`), then the product is
 * created. The product decider is asked first, on the product's current state, so a second
 * create is `product-already-exists` and an invalid command claims nothing; a SKU held by
 * another product stops it before any product stream exists. A create refused after the claim
 * (it lost a race for its product id) gives the claim back; should that not happen (the process
 * died), the claim is void once its product exists with another SKU, and the next create of the
 * SKU takes it over.
 */
export async function createProduct(
  handler: CommandHandler,
  request: CommandRequest<'product'>,
): Promise<CommandResult> {
  const { command } = request;
  if (command.type !== 'CreateProduct') throw new TypeError(`not CreateProduct: ${command.type}`);
  const { productId, sku } = command.data;
  const product = await handler.load('product', productId);
  // Before the SKU is claimed: a refused precondition must leave nothing behind.
  requireIfMatch(streamIdOf('product', productId), request.ifMatch, product.revision);
  aggregates.product.decider.decide(command, product.state);
  const claim = await skuClaim(handler, sku);
  const skuCommand = (type: 'ReserveSku' | 'ReleaseSku', voidHolder?: string) => ({
    aggregate: 'sku' as const,
    command: { type, data: { sku, productId, ...(voidHolder && { voidHolder }) } },
    // Their own ids: the product's events derive theirs from the request's command id.
    commandId: uuidv5(`${request.commandId}:${type}`, SKU_RESERVATION_NAMESPACE),
    retryOnConflict: false,
    context: { ...request.context, causationId: request.commandId },
  });
  try {
    await handler.execute(
      skuCommand('ReserveSku', claim.state === 'void' ? claim.productId : undefined),
    );
  } catch (error) {
    if (error instanceof ConcurrencyError) {
      throw new ConflictError('duplicate-sku', `SKU ${sku} was just claimed by another product`);
    }
    throw error;
  }
  try {
    return await handler.execute(request);
  } catch (error) {
    // Refused (409: another create of this id won): the product will never hold this SKU. A
    // server failure may hide a create that did land, so that claim is kept.
    if (error instanceof StrataError && error.status < 500) {
      await handler.execute(skuCommand('ReleaseSku'));
    }
    throw error;
  }
}

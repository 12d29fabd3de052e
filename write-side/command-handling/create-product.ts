import { v5 as uuidv5 } from 'uuid';
import { ConcurrencyError, ConflictError } from '../../shared-kernel/errors';
import { aggregates } from '../aggregates';
import type { CommandHandler } from './command-handler';
import { requireIfMatch, type CommandRequest, type CommandResult } from './command-request';

const SKU_RESERVATION_NAMESPACE = '0d5f3c2a-7b41-4e8e-a6c9-1f2e3d4c5b6a';

/**
 * CreateProduct spans two streams: the SKU is claimed first (`sku-<sku>`, appended with
 * `no_stream`), then the product is created. The product decider is asked first, on the
 * product's current state, so a second create is `product-already-exists` and an invalid
 * command claims nothing; a SKU held by someone else stops it before any product stream exists.
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
  requireIfMatch(aggregates.product.streamPrefix + productId, request.ifMatch, product.revision);
  aggregates.product.decider.decide(command, product.state);
  try {
    await handler.execute({
      aggregate: 'sku',
      command: { type: 'ReserveSku', data: { sku, productId } },
      // Its own id: the product's events derive theirs from the request's command id.
      commandId: uuidv5(`${request.commandId}:reserve-sku`, SKU_RESERVATION_NAMESPACE),
      retryOnConflict: false,
      context: { ...request.context, causationId: request.commandId },
    });
  } catch (error) {
    if (error instanceof ConcurrencyError) {
      throw new ConflictError('duplicate-sku', `SKU ${sku} was just claimed by another product`);
    }
    throw error;
  }
  return handler.execute(request);
}

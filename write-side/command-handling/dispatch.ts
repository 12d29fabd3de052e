import type { AggregateType } from '../aggregates';
import type { CommandHandler } from './command-handler';
import type { CommandRequest, CommandResult } from './command-request';
import { createProduct } from './create-product-context';
import { placeOrder } from './place-order-context';
import { knownSkus, receiveStock } from './receive-stock-context';

export type DispatchCommand = (request: CommandRequest) => Promise<CommandResult>;

/**
 * Runs a command through its context loader when it needs one (it looks at other aggregates
 * first), straight through the generic handler otherwise. No HTTP here: the command API and the
 * CLI's `seed` call it. The fulfillment saga (projections/processors/saga-processor.ts) calls
 * the handler itself: none of its commands (reserve, commit, release stock; confirm, reject an
 * order) has a context loader.
 */
export function commandDispatcher(handler: CommandHandler): DispatchCommand {
  const skus = knownSkus();
  return (request) => {
    if (is(request, 'product') && request.command.type === 'CreateProduct') {
      return createProduct(handler, request);
    }
    if (is(request, 'order') && request.command.type === 'PlaceOrder') {
      return placeOrder(handler, request);
    }
    if (is(request, 'stock') && request.command.type === 'ReceiveStock') {
      return receiveStock(handler, skus, request);
    }
    return handler.execute(request);
  };
}

function is<A extends AggregateType>(
  request: CommandRequest,
  aggregate: A,
): request is CommandRequest<A> {
  return request.aggregate === aggregate;
}

import type { AggregateType } from '../aggregates';
import type { CommandHandler } from './command-handler';
import type { CommandRequest, CommandResult } from './command-request';
import { createProduct } from './create-product';
import { placeOrder } from './place-order-context';
import { knownSkus, receiveStock } from './receive-stock';

export type DispatchCommand = (request: CommandRequest) => Promise<CommandResult>;

/**
 * Runs a command through its context loader when it needs one (it looks at other aggregates
 * first), straight through the generic handler otherwise. No HTTP here: the saga host calls it
 * just like the command API does.
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
